package dev.airlock.security;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Authentication settings.
 *
 * @param adminApiKey the bootstrap ADMIN key of tenant {@code admin}; set it with
 * {@code AIRLOCK_ADMIN_API_KEY}. Only its hash is kept in memory once the service has
 * started.
 * @param metricsApiKey a bootstrap METRICS key of tenant {@code admin} for a Prometheus
 * scrape; set it with {@code AIRLOCK_METRICS_API_KEY}
 */
@ConfigurationProperties("airlock.security")
public record SecuritySettings(@Nullable String adminApiKey, @Nullable String metricsApiKey) {

	@Override
	public String toString() {
		return "SecuritySettings[adminApiKey=" + masked(adminApiKey) + ", metricsApiKey=" + masked(metricsApiKey) + "]";
	}

	private static String masked(@Nullable String key) {
		return key == null || key.isBlank() ? "unset" : "******";
	}
}
