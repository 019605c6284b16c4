package dev.airlock.security;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Authentication settings.
 *
 * @param adminApiKey the bootstrap ADMIN key of tenant {@code admin}; set it with {@code AIRLOCK_ADMIN_API_KEY}.
 * Only its hash is kept in memory once the service has started.
 */
@ConfigurationProperties("airlock.security")
public record SecuritySettings(@Nullable String adminApiKey) {

	@Override
	public String toString() {
		return "SecuritySettings[adminApiKey=" + (adminApiKey == null || adminApiKey.isBlank() ? "unset" : "******") + "]";
	}
}
