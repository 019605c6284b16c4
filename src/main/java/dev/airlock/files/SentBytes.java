package dev.airlock.files;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;

import dev.airlock.core.Sha256;

/**
 * What a download handed to its client: counts and hashes only the bytes the client's
 * stream took, so a transfer cut short is audited with what was actually sent.
 */
final class SentBytes {

	private final MessageDigest digest = Sha256.digest();

	private long count;

	/** {@code out}, counting and hashing what it takes. */
	OutputStream to(OutputStream out) {
		return new FilterOutputStream(out) {
			@Override
			public void write(int b) throws IOException {
				out.write(b);
				digest.update((byte) b);
				count++;
			}

			@Override
			public void write(byte[] buffer, int offset, int length) throws IOException {
				out.write(buffer, offset, length);
				digest.update(buffer, offset, length);
				count += length;
			}
		};
	}

	long count() {
		return count;
	}

	/** The SHA-256 of the bytes sent; once, at the end. */
	String sha256() {
		return Sha256.hex(digest.digest());
	}

}
