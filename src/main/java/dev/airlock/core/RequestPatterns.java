package dev.airlock.core;

/** Field patterns that more than one request body validates against. */
public final class RequestPatterns {

	/** An environment variable's name. */
	public static final String ENV_KEY = "[A-Za-z_][A-Za-z0-9_]{0,127}";

	private RequestPatterns() {
	}

}
