package dev.airlock.security;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The keys from the environment: {@code AIRLOCK_ADMIN_API_KEY} (ADMIN) and
 * {@code AIRLOCK_METRICS_API_KEY} (METRICS), both of tenant {@code admin}. Only their
 * hashes are kept; comparison is in constant time.
 */
@Component
class BootstrapAdminKey implements ApiKeyAuthenticator {

	static final String KEY_ID = "ak_bootstrap";
	static final String METRICS_KEY_ID = "ak_bootstrap_metrics";
	static final String TENANT = "admin";

	private static final int MIN_LENGTH = 16;

	private static final Logger log = LoggerFactory.getLogger(BootstrapAdminKey.class);

	private final byte[] adminHash;

	private final byte[] metricsHash;

	BootstrapAdminKey(SecuritySettings settings) {
		this.adminHash = hash(settings.adminApiKey(), "AIRLOCK_ADMIN_API_KEY");
		this.metricsHash = hash(settings.metricsApiKey(), "AIRLOCK_METRICS_API_KEY");
		if (adminHash == null) {
			log.info("No bootstrap admin key set (AIRLOCK_ADMIN_API_KEY); only stored API keys are accepted");
		}
	}

	private static byte[] hash(String key, String variable) {
		if (key == null || key.isBlank()) {
			return null;
		}
		if (key.length() < MIN_LENGTH) {
			throw new IllegalStateException(variable + " must be at least " + MIN_LENGTH + " characters");
		}
		return SecretHash.of(key);
	}

	@Override
	public Optional<Caller> authenticate(String secret) {
		if (adminHash != null && SecretHash.matches(secret, adminHash)) {
			return Optional.of(new Caller(KEY_ID, TENANT, Role.ADMIN));
		}
		if (metricsHash != null && SecretHash.matches(secret, metricsHash)) {
			return Optional.of(new Caller(METRICS_KEY_ID, TENANT, Role.METRICS));
		}
		return Optional.empty();
	}

}
