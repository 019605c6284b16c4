package dev.airlock.core;

import java.security.SecureRandom;

/**
 * Unguessable public identifiers: a type prefix and 130 random bits in Crockford base32.
 */
public final class Ids {

	private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();

	private static final int CHARS = 26; // 26 x 5 bits = 130 bits of randomness

	private static final SecureRandom RANDOM = new SecureRandom();

	private Ids() {
	}

	public static String newId(String prefix) {
		var bytes = new byte[CHARS];
		RANDOM.nextBytes(bytes);
		var id = new StringBuilder(prefix.length() + 1 + CHARS).append(prefix).append('_');
		for (byte b : bytes) {
			id.append(ALPHABET[b & 0x1f]);
		}
		return id.toString();
	}

}
