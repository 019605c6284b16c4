package dev.airlock.core;

import java.util.Map;

/** A failure that reaches the client as a problem with a stable {@link ErrorCode}. */
public abstract class AirlockException extends RuntimeException {

	private final ErrorCode code;

	protected AirlockException(ErrorCode code, String detail) {
		super(detail);
		this.code = code;
	}

	protected AirlockException(ErrorCode code, String detail, Throwable cause) {
		super(detail, cause);
		this.code = code;
	}

	public ErrorCode code() {
		return code;
	}

	/** Extra members of the problem body (e.g. {@code sandboxId}); never secrets. */
	public Map<String, Object> properties() {
		return Map.of();
	}

	/** Extra response headers (e.g. {@code Retry-After}). */
	public Map<String, String> headers() {
		return Map.of();
	}

}
