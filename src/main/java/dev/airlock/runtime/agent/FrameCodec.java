package dev.airlock.runtime.agent;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/** Writes and reads frames; what it reads is checked before anything is allocated. */
final class FrameCodec {

	private FrameCodec() {
	}

	static byte[] encode(Frame frame) {
		var length = frame.payload().length;
		if (length > Protocol.MAX_PAYLOAD) {
			throw new IllegalArgumentException("a frame of " + length + " bytes");
		}
		var bytes = new byte[Protocol.HEADER + length];
		bytes[0] = (byte) Protocol.MAGIC_0;
		bytes[1] = (byte) Protocol.MAGIC_1;
		bytes[2] = (byte) frame.type();
		bytes[3] = (byte) frame.flags();
		putInt(bytes, 4, frame.stream());
		putInt(bytes, 8, length);
		System.arraycopy(frame.payload(), 0, bytes, Protocol.HEADER, length);
		return bytes;
	}

	/**
	 * A request's frames: PART frames of the protocol's largest payload, then the request
	 * frame with the rest, to be sent back to back so no other request's parts come
	 * between.
	 */
	static byte[] request(int type, int stream, byte[] request) {
		var frames = new ByteArrayOutputStream(request.length + 128);
		int at = 0;
		while (request.length - at > Protocol.MAX_PAYLOAD) {
			frames.writeBytes(encode(
					new Frame(Protocol.PART, 0, stream, Arrays.copyOfRange(request, at, at + Protocol.MAX_PAYLOAD))));
			at += Protocol.MAX_PAYLOAD;
		}
		frames.writeBytes(encode(new Frame(type, 0, stream, Arrays.copyOfRange(request, at, request.length))));
		return frames.toByteArray();
	}

	static void write(OutputStream out, Frame frame) throws IOException {
		out.write(encode(frame));
	}

	/**
	 * The next frame, strictly: a bad magic or length is a violation.
	 * @throws EOFException at the end of the stream
	 */
	static Frame read(DataInputStream in) throws IOException {
		var header = new byte[Protocol.HEADER];
		in.readFully(header);
		if ((header[0] & 0xff) != Protocol.MAGIC_0 || (header[1] & 0xff) != Protocol.MAGIC_1) {
			throw new AgentViolation("a frame without the protocol's magic");
		}
		return body(in, header);
	}

	/**
	 * Skips everything up to the agent's answer to our HELLO: a HELLO_OK carrying
	 * {@code nonce}. Frames of an earlier session may come first.
	 * @param limit the most bytes skipped before giving up
	 */
	static Frame awaitHelloOk(DataInputStream in, byte[] nonce, long limit) throws IOException {
		long skipped = 0;
		var header = new byte[Protocol.HEADER];
		int filled = 0;
		while (true) {
			while (filled < Protocol.HEADER) {
				int n = in.read(header, filled, Protocol.HEADER - filled);
				if (n < 0) {
					throw new EOFException("the agent's stream ended before it answered the handshake");
				}
				filled += n;
			}
			if ((header[0] & 0xff) == Protocol.MAGIC_0 && (header[1] & 0xff) == Protocol.MAGIC_1
					&& header[2] == Protocol.HELLO_OK && getInt(header, 4) == 0) {
				long length = getInt(header, 8) & 0xffffffffL;
				if (length >= 22 && length <= 4096) {
					var frame = body(in, header);
					var payload = frame.payload();
					if (Arrays.equals(payload, 2, 18, nonce, 0, 16)) {
						return frame;
					}
					skipped += Protocol.HEADER + length;
					filled = 0;
					continue;
				}
			}
			// not it: slide the window by one byte
			System.arraycopy(header, 1, header, 0, Protocol.HEADER - 1);
			filled = Protocol.HEADER - 1;
			if (++skipped > limit) {
				throw new AgentViolation("no answer to the handshake in " + limit + " bytes");
			}
		}
	}

	private static Frame body(DataInputStream in, byte[] header) throws IOException {
		long length = getInt(header, 8) & 0xffffffffL;
		if (length > Protocol.MAX_PAYLOAD) {
			throw new AgentViolation("a frame of " + length + " bytes");
		}
		if (header[3] != 0 && header[3] != Protocol.END) {
			throw new AgentViolation("unknown frame flags " + header[3]);
		}
		var payload = new byte[(int) length];
		in.readFully(payload);
		return new Frame(header[2] & 0xff, header[3], getInt(header, 4), payload);
	}

	private static void putInt(byte[] bytes, int at, int value) {
		bytes[at] = (byte) (value >>> 24);
		bytes[at + 1] = (byte) (value >>> 16);
		bytes[at + 2] = (byte) (value >>> 8);
		bytes[at + 3] = (byte) value;
	}

	private static int getInt(byte[] bytes, int at) {
		return ((bytes[at] & 0xff) << 24) | ((bytes[at + 1] & 0xff) << 16) | ((bytes[at + 2] & 0xff) << 8)
				| (bytes[at + 3] & 0xff);
	}

}
