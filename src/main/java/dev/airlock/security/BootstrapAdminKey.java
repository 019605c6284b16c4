package dev.airlock.security;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Accepts the key from {@code AIRLOCK_ADMIN_API_KEY} as an ADMIN of tenant {@code admin}; keeps only its hash. */
@Component
class BootstrapAdminKey implements ApiKeyAuthenticator {

	static final String KEY_ID = "ak_bootstrap";
	static final String TENANT = "admin";
	private static final int MIN_LENGTH = 16;
	private static final Logger log = LoggerFactory.getLogger(BootstrapAdminKey.class);

	private final byte[] hash;

	BootstrapAdminKey(SecuritySettings settings) {
		var key = settings.adminApiKey();
		if (key == null || key.isBlank()) {
			this.hash = null;
			log.info("No bootstrap admin key set (AIRLOCK_ADMIN_API_KEY); only stored API keys are accepted");
		}
		else {
			if (key.length() < MIN_LENGTH) {
				throw new IllegalStateException("AIRLOCK_ADMIN_API_KEY must be at least " + MIN_LENGTH + " characters");
			}
			this.hash = SecretHash.of(key);
		}
	}

	@Override
	public Optional<Caller> authenticate(String secret) {
		if (hash == null || !SecretHash.matches(secret, hash)) {
			return Optional.empty();
		}
		return Optional.of(new Caller(KEY_ID, TENANT, Role.ADMIN));
	}
}
