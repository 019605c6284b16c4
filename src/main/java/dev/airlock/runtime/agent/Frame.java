package dev.airlock.runtime.agent;

/**
 * One frame of the agent protocol.
 *
 * @param type what it is (see {@link Protocol})
 * @param flags {@link Protocol#END} or 0
 * @param stream the call it belongs to; 0 for the session
 * @param payload at most {@link Protocol#MAX_PAYLOAD} bytes
 */
record Frame(int type, int flags, int stream, byte[] payload) {

	static Frame of(int type, int stream, byte[] payload) {
		return new Frame(type, 0, stream, payload);
	}

	boolean end() {
		return (flags & Protocol.END) != 0;
	}

	Payload.Reader reader() {
		return new Payload.Reader(payload);
	}

	@Override
	public String toString() {
		return "Frame[type=0x" + Integer.toHexString(type) + ", flags=" + flags + ", stream=" + stream + ", length="
				+ payload.length + "]";
	}

}
