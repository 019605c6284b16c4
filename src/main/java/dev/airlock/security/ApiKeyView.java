package dev.airlock.security;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * An API key as clients see it; {@code key}, the secret, is present only in the answer
 * that created it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiKeyView(String id, @Nullable String key, String tenant, Role role, String name, Instant createdAt,
		String createdBy, @Nullable Instant lastUsedAt, @Nullable Instant revokedAt) {
}
