package dev.airlock.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 of API key secrets: keys are long random strings, so a fast hash is the right tool (no brute force). */
final class SecretHash {

	private SecretHash() {
	}

	static byte[] of(String secret) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("SHA-256 is always available", e);
		}
	}

	/** Constant-time comparison of a presented secret against a stored hash. */
	static boolean matches(String presented, byte[] storedHash) {
		return MessageDigest.isEqual(of(presented), storedHash);
	}
}
