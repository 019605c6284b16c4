package dev.airlock.runtime.docker;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's stdout out of an attached container's multiplexed stream: the engine's
 * 8-byte frame headers are stripped, stdout payloads read through, stderr (the agent's
 * own diagnostics) logged briefly and dropped.
 */
final class AttachedOutput extends HttpBodies.BodyInput {

	static final int STDOUT = 1;

	static final int STDERR = 2;

	private static final Logger log = LoggerFactory.getLogger(AttachedOutput.class);

	/** The most of one stderr chunk that is logged. */
	private static final int LOGGED = 512;

	private final DataInputStream in;

	private final String sandboxId;

	private final byte[] header = new byte[8];

	private long left;

	AttachedOutput(InputStream in, String sandboxId) {
		this.in = new DataInputStream(in);
		this.sandboxId = sandboxId;
	}

	@Override
	public int read(byte[] target, int offset, int length) throws IOException {
		if (length == 0) {
			return 0;
		}
		while (left == 0) {
			if (!nextStdoutFrame()) {
				return -1;
			}
		}
		int n = in.read(target, offset, (int) Math.min(length, left));
		if (n < 0) {
			throw new EOFException("the attached stream ended inside a frame");
		}
		left -= n;
		return n;
	}

	/** Skips stderr frames; answers false at the end of the stream. */
	private boolean nextStdoutFrame() throws IOException {
		int first = in.read();
		if (first < 0) {
			return false;
		}
		header[0] = (byte) first;
		try {
			in.readFully(header, 1, 7);
		}
		catch (EOFException cut) {
			throw new EOFException("the attached stream ended inside a frame header");
		}
		long size = ((header[4] & 0xffL) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8)
				| (header[7] & 0xff);
		if (header[0] == STDOUT) {
			left = size;
			return true;
		}
		var shown = new byte[(int) Math.min(size, LOGGED)];
		in.readFully(shown);
		in.skipNBytes(size - shown.length); // EOFException when cut short
		if (header[0] == STDERR && log.isDebugEnabled()) {
			log.debug("Agent of {} says: {}", sandboxId, new String(shown, StandardCharsets.UTF_8).strip());
		}
		return true;
	}

}
