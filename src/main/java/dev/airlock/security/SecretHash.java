package dev.airlock.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import dev.airlock.core.Sha256;

/**
 * SHA-256 of API key secrets: keys are long random strings, so a fast hash is the right
 * tool (no brute force).
 */
final class SecretHash {

	private SecretHash() {
	}

	static byte[] of(String secret) {
		return Sha256.of(secret.getBytes(StandardCharsets.UTF_8));
	}

	/** Constant-time comparison of a presented secret against a stored hash. */
	static boolean matches(String presented, byte[] storedHash) {
		return MessageDigest.isEqual(of(presented), storedHash);
	}

}
