package dev.airlock.runtime.docker;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Docker's multiplexed stdout/stderr stream: 8-byte headers (stream, 0, 0, 0, size) each
 * followed by its payload.
 */
final class MultiplexedStream {

	static final int STDOUT = 1;
	static final int STDERR = 2;

	private static final int CHUNK = 32 * 1024;

	private MultiplexedStream() {
	}

	/** Receives payload chunks; answers false to stop reading. */
	interface Sink {

		boolean accept(int stream, byte[] buffer, int length) throws IOException;

	}

	/**
	 * Reads frames until the end of the stream or until {@code sink} says stop; payloads
	 * in chunks of up to 32 KiB, empty frames skipped. The stream may end only between
	 * frames: one cut inside a header or a payload is an {@link EOFException}.
	 */
	static void read(InputStream stream, Sink sink) throws IOException {
		var in = new DataInputStream(stream);
		var header = new byte[8];
		var buffer = new byte[CHUNK];
		while (true) {
			int first = in.read();
			if (first < 0) {
				return; // a clean end, between frames
			}
			header[0] = (byte) first;
			try {
				in.readFully(header, 1, 7);
			}
			catch (EOFException cut) {
				throw new EOFException("the output stream ended inside a frame header");
			}
			long size = ((header[4] & 0xffL) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8)
					| (header[7] & 0xff);
			while (size > 0) {
				int n = in.read(buffer, 0, (int) Math.min(buffer.length, size));
				if (n < 0) {
					throw new EOFException("the output stream ended " + size + " bytes before the end of a frame");
				}
				size -= n;
				if (!sink.accept(header[0], buffer, n)) {
					return;
				}
			}
		}
	}

}
