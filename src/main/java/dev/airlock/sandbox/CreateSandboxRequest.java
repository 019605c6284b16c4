package dev.airlock.sandbox;

import java.util.List;
import java.util.Map;

import dev.airlock.core.NoNul;
import dev.airlock.core.RequestPatterns;
import dev.airlock.policy.PolicyDefinition;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /v1/sandboxes}, and the arguments of the MCP tool
 * {@code create_sandbox}: only {@code image} is required.
 */
public record CreateSandboxRequest(
		@NotBlank @Size(max = 255) @Pattern(regexp = RequestPatterns.IMAGE_REFERENCE,
				message = "must be an image reference such as 'python:3.12-slim'") String image,
		@Nullable @Pattern(regexp = PolicyDefinition.NAME, message = "must be a policy name") String policy,
		@Nullable @Positive @Max(30 * 24 * 3600) Integer ttlSeconds,
		@Nullable @Size(max = 64) Map<@Pattern(regexp = RequestPatterns.ENV_KEY,
				message = "must be a variable name") String, @NotNull @Size(max = 32768) @NoNul String> env,
		@Nullable @Size(max = 32) Map<@Pattern(regexp = RequestPatterns.LABEL_KEY,
				message = "must be 1-63 letters, digits, '.', '_', '-' or '/'") String, @NotNull @Size(
						max = 255) @Pattern(regexp = RequestPatterns.PRINTABLE,
								message = "must be printable text") String> labels,
		@Nullable @Valid Resources resources,
		@Nullable @Size(min = 1, max = 256) List<@NotNull @Size(max = 8192) @NoNul String> command,
		@Nullable @Size(max = 1024) @Pattern(regexp = "/[^\\x00]*",
				message = "must be an absolute path") String workdir) {

	/** CPU and memory, each at most the policy's. */
	@Schema(name = "RequestedResources")
	public record Resources(@Nullable @DecimalMin("0.01") @DecimalMax("64") Double cpus,
			@Nullable @Min(6) @Max(262144) Integer memoryMb) {
	}

	/** What is asked for, with absent maps empty. */
	public NewSandbox toNewSandbox() {
		return new NewSandbox(image, policy, ttlSeconds, env == null ? Map.of() : env,
				labels == null ? Map.of() : labels, resources == null ? null : resources.cpus(),
				resources == null ? null : resources.memoryMb(), command, workdir);
	}

	/** Never prints env values. */
	@Override
	public String toString() {
		return "CreateSandboxRequest[image=" + image + ", envKeys=" + (env == null ? "[]" : env.keySet()) + "]";
	}
}
