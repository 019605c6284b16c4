package dev.airlock.core;

/** Field patterns that more than one request body validates against. */
public final class RequestPatterns {

	/** An environment variable's name. */
	public static final String ENV_KEY = "[A-Za-z_][A-Za-z0-9_]{0,127}";

	/** {@code [registry[:port]/]path[:tag][@digest]}, as Docker parses it. */
	public static final String IMAGE_REFERENCE = "(?:[a-zA-Z0-9.-]+(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
			+ "(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?";

	/** A sandbox label's key. */
	public static final String LABEL_KEY = "[A-Za-z0-9](?:[A-Za-z0-9._/-]{0,61}[A-Za-z0-9])?";

	/** Text without control characters (a label's value). */
	public static final String PRINTABLE = "[^\\x00-\\x1F\\x7F]*";

	private RequestPatterns() {
	}

}
