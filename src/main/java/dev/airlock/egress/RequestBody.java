package dev.airlock.egress;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The body of one plain HTTP request as the sandbox sends it, framing included, and
 * nothing after it: what follows the body (a pipelined second request, perhaps for
 * another host) is read and dropped until the sandbox ends its side, never sent to the
 * destination, whatever the destination makes of {@code Connection: close}. A chunked
 * body is read strictly (CRLF only, hexadecimal sizes, bounded lines); a body that is not
 * one ends the connection.
 */
final class RequestBody extends InputStream {

	/** A body length meaning: chunked, its end told by its last chunk. */
	static final long CHUNKED = -1;

	/** The longest chunk-size line or trailer line. */
	private static final int MAX_LINE = 4096;

	/** The most trailer bytes. */
	private static final int MAX_TRAILERS = 64 * 1024;

	private enum State {

		SIZE_LINE, DATA, DATA_END, TRAILERS, DONE

	}

	private final InputStream in;

	private final boolean chunked;

	private State state;

	/** In DATA: the bytes left of the body or the chunk. */
	private long left;

	private final StringBuilder line = new StringBuilder();

	private int trailerBytes;

	/** In DATA_END: the CR was seen. */
	private boolean cr;

	RequestBody(InputStream in, long length) {
		this.in = in;
		this.chunked = length == CHUNKED;
		this.left = chunked ? 0 : length;
		this.state = chunked ? State.SIZE_LINE : length > 0 ? State.DATA : State.DONE;
	}

	@Override
	public int read() throws IOException {
		var one = new byte[1];
		return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
	}

	@Override
	public int read(byte[] target, int offset, int length) throws IOException {
		if (length == 0) {
			return 0;
		}
		if (state == State.DONE) {
			in.transferTo(OutputStream.nullOutputStream());
			return -1;
		}
		if (state == State.DATA) {
			var n = in.read(target, offset, (int) Math.min(length, left));
			if (n < 0) {
				throw new IOException("the request body ended early");
			}
			left -= n;
			if (left == 0) {
				state = chunked ? State.DATA_END : State.DONE;
			}
			return n;
		}
		var b = in.read();
		if (b < 0) {
			throw new IOException("the request body ended early");
		}
		framing(b);
		target[offset] = (byte) b;
		return 1;
	}

	private void framing(int b) throws IOException {
		switch (state) {
			case DATA_END -> {
				if (!cr && b == '\r') {
					cr = true;
				}
				else if (cr && b == '\n') {
					cr = false;
					state = State.SIZE_LINE;
				}
				else {
					throw new IOException("a chunk does not end with CRLF");
				}
			}
			case SIZE_LINE, TRAILERS -> line(b);
			default -> throw new IllegalStateException(state.name());
		}
	}

	private void line(int b) throws IOException {
		if (state == State.TRAILERS && ++trailerBytes > MAX_TRAILERS) {
			throw new IOException("too many trailers");
		}
		if (line.length() >= MAX_LINE || (b == '\n') != (line.length() > 0 && line.charAt(line.length() - 1) == '\r')
				|| (b != '\n' && (b < 0x20 && b != '\t' && b != '\r' || b == 0x7f))) {
			throw new IOException("a malformed line in a chunked body");
		}
		line.append((char) b);
		if (b != '\n') {
			return;
		}
		var text = line.substring(0, line.length() - 2);
		line.setLength(0);
		if (state == State.TRAILERS) {
			state = text.isEmpty() ? State.DONE : State.TRAILERS;
			return;
		}
		var size = text.split(";", 2)[0].strip();
		if (!size.matches("[0-9A-Fa-f]{1,15}")) {
			throw new IOException("a malformed chunk size");
		}
		left = Long.parseLong(size, 16);
		state = left == 0 ? State.TRAILERS : State.DATA;
	}

}
