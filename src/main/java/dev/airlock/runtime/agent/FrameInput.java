package dev.airlock.runtime.agent;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Objects;

/**
 * The bytes of a call's data frames as a stream: one frame at a time, taken when the one
 * before has been read, and the agent granted credit for what has been read (so no more
 * than the window waits on this side) once it adds up to {@code grantEvery} bytes: one
 * {@code WINDOW} per frame would double the frames a small exchange costs. Any
 * {@code grantEvery} up to the window keeps the agent going: with all its credit spent
 * and everything read, at least a window's bytes wait to be granted.
 */
abstract class FrameInput extends InputStream {

	private final AgentCall call;

	private byte[] current = new byte[0];

	private int position;

	private boolean ended;

	private final int grantEvery;

	private int ungranted;

	FrameInput(AgentCall call, int grantEvery) {
		this.call = call;
		this.grantEvery = Math.max(1, grantEvery);
	}

	/**
	 * The next data frame of the call, checked; its {@code END} flag ends the stream.
	 */
	abstract Frame next() throws IOException;

	/** The call's next frame; a session that ended is an {@link IOException}. */
	Frame take(Duration patience, String what) throws IOException {
		try {
			return call.take(patience);
		}
		catch (AgentFailed e) {
			throw new IOException("the " + what + " broke: " + e.getMessage(), e);
		}
	}

	@Override
	public int read() throws IOException {
		var one = new byte[1];
		return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
	}

	@Override
	public synchronized int read(byte[] target, int offset, int length) throws IOException {
		Objects.checkFromIndexSize(offset, length, target.length);
		if (length == 0) {
			return 0;
		}
		while (position == current.length) {
			if (ended) {
				return -1;
			}
			var frame = next();
			current = frame.payload();
			position = 0;
			ended = frame.end();
		}
		int n = Math.min(length, current.length - position);
		System.arraycopy(current, position, target, offset, n);
		position += n;
		if (position == current.length && !ended) {
			ungranted += current.length; // read: the agent may send as much again
			if (ungranted >= grantEvery) {
				call.grant(ungranted);
				ungranted = 0;
			}
		}
		return n;
	}

	@Override
	public synchronized int available() {
		return current.length - position;
	}

}
