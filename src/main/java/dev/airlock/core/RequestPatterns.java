package dev.airlock.core;

/** Field patterns that more than one request body validates against. */
public final class RequestPatterns {

	/** An environment variable's name. */
	public static final String ENV_KEY = "[A-Za-z_][A-Za-z0-9_]{0,127}";

	/** Any text without a NUL byte (which would cut an argv or env value short). */
	public static final String NO_NUL = "[^\\x00]*";

	private RequestPatterns() {
	}

}
