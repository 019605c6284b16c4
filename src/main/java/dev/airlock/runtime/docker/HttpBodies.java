package dev.airlock.runtime.docker;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;

/**
 * HTTP/1.1 framing for {@link EngineConnection}: the response head, Content-Length and
 * chunked bodies in, chunked bodies out. A body cut short is an {@link EOFException},
 * never a quiet end.
 */
final class HttpBodies {

	private static final int MAX_CHUNK_LINE = 4096;

	private static final byte[] CRLF = { '\r', '\n' };

	private HttpBodies() {
	}

	/** Parses a response's status line and headers (names in lower case). */
	static EngineConnection.Response parseHead(String head) throws IOException {
		var lines = head.split("\r\n");
		var statusLine = lines[0].split(" ", 3);
		try {
			var headers = new LinkedHashMap<String, String>();
			for (int i = 1; i < lines.length; i++) {
				var colon = lines[i].indexOf(':');
				if (colon > 0) {
					headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
							lines[i].substring(colon + 1).trim());
				}
			}
			return new EngineConnection.Response(Integer.parseInt(statusLine[1]), headers);
		}
		catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
			throw new IOException("Not an HTTP response from the Docker engine: " + lines[0], e);
		}
	}

	/** A framed body: its single-byte read goes through the framing of its array read. */
	abstract static class BodyInput extends InputStream {

		@Override
		public int read() throws IOException {
			var one = new byte[1];
			return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
		}

	}

	/** A body of a known length. */
	static final class LimitedInput extends BodyInput {

		private final InputStream in;

		private long remaining;

		LimitedInput(InputStream in, long length) {
			this.in = in;
			this.remaining = length;
		}

		@Override
		public int read(byte[] target, int offset, int length) throws IOException {
			if (remaining <= 0) {
				return -1;
			}
			if (length == 0) {
				return 0;
			}
			int n = in.read(target, offset, (int) Math.min(length, remaining));
			if (n < 0) {
				throw new EOFException("the body ended " + remaining + " bytes early");
			}
			remaining -= n;
			return n;
		}

	}

	/**
	 * A chunked body: hex size lines (extensions after ';' ignored), each followed by its
	 * data and CRLF, up to the zero-size chunk. Trailers after the zero chunk are not
	 * read: the connection is never reused.
	 */
	static final class ChunkedInput extends BodyInput {

		private final InputStream in;

		private long chunkLeft;

		private boolean started;

		private boolean done;

		ChunkedInput(InputStream in) {
			this.in = in;
		}

		private boolean next() throws IOException {
			if (done) {
				return false;
			}
			if (chunkLeft > 0) {
				return true;
			}
			if (started && !readLine().isEmpty()) { // the CRLF after the previous chunk
				throw new IOException("chunked body: no CRLF after a chunk's data");
			}
			started = true;
			var line = readLine();
			var semicolon = line.indexOf(';');
			try {
				chunkLeft = Long.parseLong((semicolon >= 0 ? line.substring(0, semicolon) : line).trim(), 16);
			}
			catch (NumberFormatException e) {
				throw new IOException("chunked body: not a chunk size: " + line, e);
			}
			if (chunkLeft < 0) {
				throw new IOException("chunked body: negative chunk size");
			}
			done = chunkLeft == 0;
			return !done;
		}

		private String readLine() throws IOException {
			var line = new StringBuilder();
			while (true) {
				int b = in.read();
				if (b < 0) {
					throw new EOFException("chunked body ended early");
				}
				if (b == '\n') {
					return line.toString();
				}
				if (b != '\r') {
					line.append((char) b);
				}
				if (line.length() > MAX_CHUNK_LINE) {
					throw new IOException("chunked body: a size line is too long");
				}
			}
		}

		@Override
		public int read(byte[] target, int offset, int length) throws IOException {
			if (length == 0) {
				return 0;
			}
			if (!next()) {
				return -1;
			}
			int n = in.read(target, offset, (int) Math.min(length, chunkLeft));
			if (n < 0) {
				throw new EOFException("chunked body ended early");
			}
			chunkLeft -= n;
			return n;
		}

	}

}
