package dev.airlock.files;

import java.util.Map;

import dev.airlock.core.AirlockException;
import dev.airlock.core.ErrorCode;

/** The tenant already has as many uploads in flight as its quota allows. */
class TooManyUploads extends AirlockException {

	static final int RETRY_AFTER_SECONDS = 5;

	TooManyUploads(String tenant, int max) {
		super(ErrorCode.QUOTA_EXCEEDED, "Tenant '" + tenant + "' has " + max
				+ " uploads in flight, the maximum of its quota (maxConcurrentUploads); retry when one ends.");
	}

	@Override
	public Map<String, Object> properties() {
		return Map.of("limit", "tenant.maxConcurrentUploads");
	}

	@Override
	public Map<String, String> headers() {
		return Map.of("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
	}

}
