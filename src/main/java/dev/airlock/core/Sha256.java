package dev.airlock.core;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256, which every JVM has: no checked exception to handle at each use. */
public final class Sha256 {

	private Sha256() {
	}

	/** A fresh digest, for hashing a stream as it passes. */
	public static MessageDigest digest() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("SHA-256 is always available", e);
		}
	}

	public static byte[] of(byte[] bytes) {
		return digest().digest(bytes);
	}

	public static String hex(byte[] digest) {
		return HexFormat.of().formatHex(digest);
	}

}
