package dev.airlock.sandbox;

import java.util.Map;

import dev.airlock.core.AirlockException;
import dev.airlock.core.ErrorCode;

/**
 * The tenant already has as many live sandboxes under the policy as it allows; ending one
 * frees a slot.
 */
class QuotaExceeded extends AirlockException {

	static final int RETRY_AFTER_SECONDS = 10;

	QuotaExceeded(String tenant, String policy, int max) {
		super(ErrorCode.QUOTA_EXCEEDED, "Tenant '" + tenant + "' has " + max + " live sandboxes under policy '" + policy
				+ "', its maximum; end one and retry.");
	}

	@Override
	public Map<String, String> headers() {
		return Map.of("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
	}

}
