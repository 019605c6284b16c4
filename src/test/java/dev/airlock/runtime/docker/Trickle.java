package dev.airlock.runtime.docker;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * An input stream that hands out at most a few bytes per read, as a socket does when data
 * arrives in pieces.
 */
final class Trickle extends InputStream {

	private final ByteArrayInputStream bytes;

	private final int most;

	Trickle(byte[] bytes, int most) {
		this.bytes = new ByteArrayInputStream(bytes);
		this.most = most;
	}

	static Trickle of(String text, int most) {
		return new Trickle(text.getBytes(StandardCharsets.ISO_8859_1), most);
	}

	@Override
	public int read() {
		return bytes.read();
	}

	@Override
	public int read(byte[] target, int offset, int length) {
		return bytes.read(target, offset, Math.min(length, most));
	}

	@Override
	public int available() {
		return bytes.available();
	}

}
