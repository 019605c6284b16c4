package dev.airlock.pool;

import dev.airlock.core.RequestPatterns;
import dev.airlock.policy.PolicyDefinition;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * What a client sends to create or replace a pool: every field is required ({@code name}
 * may be left out of a replacement, where the path names the pool). The largest
 * {@code size} is {@code airlock.pools.max-size}.
 */
@Schema(name = "PoolRequest")
public record PoolDefinition(
		@Nullable @Pattern(regexp = PolicyDefinition.NAME,
				message = "must be 1-63 lowercase letters, digits or '-', starting with a letter or digit") String name,
		@NotNull @Pattern(regexp = PolicyDefinition.NAME, message = "must be a policy name") String policy,
		@NotBlank @Size(max = 255) @Pattern(regexp = RequestPatterns.IMAGE_REFERENCE,
				message = "must be an image reference such as 'python:3.12-slim'") String image,
		@NotNull @Min(0) Integer size) {
}
