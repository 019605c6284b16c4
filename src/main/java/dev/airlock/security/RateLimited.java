package dev.airlock.security;

import java.util.Map;

import dev.airlock.core.AirlockException;
import dev.airlock.core.ErrorCode;

/** The key sent more requests than its rate limit allows. */
class RateLimited extends AirlockException {

	private final long retryAfterSeconds;

	RateLimited(long retryAfterSeconds) {
		super(ErrorCode.RATE_LIMITED, "Too many requests for this API key; retry in " + retryAfterSeconds + " s.");
		this.retryAfterSeconds = retryAfterSeconds;
	}

	@Override
	public Map<String, String> headers() {
		return Map.of("Retry-After", String.valueOf(retryAfterSeconds));
	}

}
