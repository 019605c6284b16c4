package dev.airlock.runtime.agent;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The payload encodings of the agent protocol: big-endian integers, sized strings. */
final class Payload {

	static final int MAX_STRING = 1 << 20;

	static final int MAX_LIST = 4096;

	private Payload() {
	}

	/** Builds a payload; refuses one that would not fit a frame. */
	static final class Writer {

		private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);

		Writer u8(int value) {
			bytes.write(value);
			return this;
		}

		Writer u16(int value) {
			bytes.write(value >>> 8);
			bytes.write(value);
			return this;
		}

		Writer u32(long value) {
			for (int shift = 24; shift >= 0; shift -= 8) {
				bytes.write((int) (value >>> shift));
			}
			return this;
		}

		Writer u64(long value) {
			for (int shift = 56; shift >= 0; shift -= 8) {
				bytes.write((int) (value >>> shift));
			}
			return this;
		}

		Writer raw(byte[] value) {
			bytes.writeBytes(value);
			return this;
		}

		Writer str(String value) {
			var encoded = value.getBytes(StandardCharsets.UTF_8);
			if (encoded.length > MAX_STRING) {
				throw new IllegalArgumentException(
						"a string of " + encoded.length + " bytes is over the protocol's " + MAX_STRING);
			}
			u32(encoded.length);
			return raw(encoded);
		}

		Writer list(List<String> values) {
			if (values.size() > MAX_LIST) {
				throw new IllegalArgumentException(
						"a list of " + values.size() + " is over the protocol's " + MAX_LIST);
			}
			u32(values.size());
			values.forEach(this::str);
			return this;
		}

		byte[] bytes() {
			if (bytes.size() > Protocol.MAX_PAYLOAD) {
				throw new IllegalArgumentException("the request does not fit one frame (" + bytes.size() + " bytes)");
			}
			return bytes.toByteArray();
		}

		/**
		 * A request's bytes, which may span several frames (see {@link Protocol#PART}).
		 */
		byte[] request() {
			if (bytes.size() > Protocol.MAX_REQUEST) {
				throw new IllegalArgumentException("a request of " + bytes.size() + " bytes");
			}
			return bytes.toByteArray();
		}

	}

	/** Reads a payload; anything short, long or out of bounds is a violation. */
	static final class Reader {

		private final ByteBuffer buffer;

		Reader(byte[] payload) {
			this.buffer = ByteBuffer.wrap(payload);
		}

		int u8() {
			return guarded(() -> buffer.get() & 0xff);
		}

		int u16() {
			return guarded(() -> buffer.getShort() & 0xffff);
		}

		long u32() {
			return guarded(() -> buffer.getInt() & 0xffffffffL);
		}

		int i32() {
			return guarded(buffer::getInt);
		}

		long u64() {
			long value = guarded(buffer::getLong);
			if (value < 0) {
				throw new AgentViolation("a size over 2^63");
			}
			return value;
		}

		long i64() {
			return guarded(buffer::getLong);
		}

		byte[] raw(int length) {
			if (length < 0 || length > buffer.remaining()) {
				throw new AgentViolation("a field runs past the end of its frame");
			}
			var value = new byte[length];
			buffer.get(value);
			return value;
		}

		String str() {
			long length = u32();
			if (length > MAX_STRING) {
				throw new AgentViolation("a string of " + length + " bytes");
			}
			return new String(raw((int) length), StandardCharsets.UTF_8);
		}

		List<String> list() {
			long count = u32();
			if (count > MAX_LIST) {
				throw new AgentViolation("a list of " + count + " items");
			}
			var values = new ArrayList<String>((int) count);
			for (int i = 0; i < count; i++) {
				values.add(str());
			}
			return values;
		}

		/** The frame must hold nothing more. */
		void done() {
			if (buffer.hasRemaining()) {
				throw new AgentViolation(buffer.remaining() + " bytes after the last field");
			}
		}

		private static <T> T guarded(Supplier<T> read) {
			try {
				return read.get();
			}
			catch (BufferUnderflowException e) {
				throw new AgentViolation("a frame is shorter than its fields");
			}
		}

	}

}
