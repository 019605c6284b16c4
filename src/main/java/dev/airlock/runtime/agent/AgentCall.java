package dev.airlock.runtime.agent;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One call on a session: its stream id, the frames the agent sent for it, and the credit
 * each side has. The agent may send data only within the credit this side granted; frames
 * of any other kind may queue only a few at a time. Either is a violation past its bound,
 * so a lying agent cannot make Airlock buffer without bound.
 */
final class AgentCall implements AutoCloseable {

	/** Frames other than data that may wait for the consumer at once. */
	private static final int MAX_QUEUED_CONTROL = 64;

	private final AgentSession session;

	private final int stream;

	private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();

	private final Object credit = new Object();

	/** Data bytes the agent may still send (granted by us). */
	private long inbound;

	/** Data bytes we may still send (granted by the agent). */
	private long outbound;

	private int queuedControl;

	private volatile boolean finished;

	AgentCall(AgentSession session, int stream) {
		this.session = session;
		this.stream = stream;
	}

	int stream() {
		return stream;
	}

	/** Credit the request itself granted (its {@code window} field). */
	void granted(long bytes) {
		synchronized (credit) {
			inbound += bytes;
		}
	}

	/** Grants the agent more credit, as data was consumed. */
	void grant(int bytes) throws IOException {
		if (bytes <= 0 || finished) {
			return;
		}
		synchronized (credit) {
			inbound += bytes;
		}
		send(Protocol.WINDOW, 0, new Payload.Writer().u32(bytes).bytes());
	}

	void send(int type, int flags, byte[] payload) throws IOException {
		session.send(new Frame(type, flags, stream, payload));
	}

	/** Opens the call: its request, in parts when large. */
	void request(int type, byte[] request) throws IOException {
		session.sendRequest(type, stream, request);
	}

	/**
	 * Sends data within the agent's credit, waiting for more as needed; {@code end} marks
	 * the last. An empty array with {@code end} just ends the stream.
	 */
	void sendData(int type, byte[] buffer, int offset, int length, boolean end, Duration patience) throws IOException {
		int sent = 0;
		do {
			int chunk = Math.min(length - sent, Protocol.MAX_PAYLOAD);
			if (chunk > 0) {
				chunk = (int) Math.min(chunk, awaitCredit(patience));
				spent(chunk);
			}
			var payload = new byte[chunk];
			System.arraycopy(buffer, offset + sent, payload, 0, chunk);
			sent += chunk;
			send(type, (end && sent == length) ? Protocol.END : 0, payload);
		}
		while (sent < length);
	}

	/** The next frame, other than WINDOW, the agent sent for this call. */
	Frame take(Duration patience) {
		Object next;
		try {
			next = inbox.poll(patience.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new AgentFailed("interrupted while waiting for the sandbox's agent");
		}
		if (next == null) {
			throw new AgentFailed("the sandbox's agent did not answer within " + patience.toMillis() + " ms");
		}
		if (next instanceof Failed failed) {
			inbox.add(failed); // every later take fails the same way
			throw new AgentFailed("the session with the sandbox's agent ended: " + failed.reason());
		}
		var frame = (Frame) next;
		if (!Protocol.consumesCredit(frame.type())) {
			synchronized (credit) {
				queuedControl--;
			}
		}
		return frame;
	}

	/** The call got its last frame: nothing to cancel any more. */
	void finished() {
		finished = true;
		session.forget(this);
		synchronized (credit) {
			credit.notifyAll(); // a sender waiting for credit gives up
		}
	}

	/**
	 * Cancels from another thread: the agent is told, and whoever waits on this call
	 * stops waiting.
	 */
	void cancel(String reason) {
		try {
			send(Protocol.CANCEL, 0, new byte[0]);
		}
		catch (IOException | RuntimeException e) {
			// the session is gone: nothing runs on its behalf any more
		}
		fail(reason);
	}

	/** Called by the session's reader; never blocks. */
	void deliver(Frame frame) {
		synchronized (credit) {
			if (frame.type() == Protocol.WINDOW) {
				var reader = frame.reader();
				long more = reader.u32();
				reader.done();
				if (outbound + more > Integer.MAX_VALUE) {
					throw new AgentViolation("credit over 2 GiB on stream " + stream);
				}
				outbound += more;
				credit.notifyAll();
				return;
			}
			if (Protocol.consumesCredit(frame.type())) {
				if (frame.payload().length > inbound) {
					throw new AgentViolation(frame.payload().length + " bytes of data on stream " + stream
							+ " with a credit of " + inbound);
				}
				inbound -= frame.payload().length;
			}
			else if (++queuedControl > MAX_QUEUED_CONTROL) {
				throw new AgentViolation("a flood of frames on stream " + stream);
			}
			inbox.add(frame);
			credit.notifyAll(); // a sender waiting for credit may take an early answer
		}
	}

	void fail(String reason) {
		inbox.add(new Failed(reason));
		synchronized (credit) {
			credit.notifyAll();
		}
	}

	/** Cancels the call if it has not finished; best effort. */
	@Override
	public void close() {
		if (!finished) {
			try {
				send(Protocol.CANCEL, 0, new byte[0]);
			}
			catch (IOException | RuntimeException e) {
				// the session is gone: nothing runs on its behalf any more
			}
			finished();
		}
	}

	private long awaitCredit(Duration patience) throws IOException {
		long deadline = System.nanoTime() + patience.toNanos();
		synchronized (credit) {
			while (outbound == 0) {
				if (finished) {
					throw new IOException("the call has ended");
				}
				if (inbox.peek() instanceof Failed failed) {
					throw new IOException("the session with the sandbox's agent ended: " + failed.reason());
				}
				if (!inbox.isEmpty() && finishedEarly()) {
					throw new EarlyAnswer();
				}
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					throw new IOException(
							"the sandbox's agent granted no credit within " + patience.toMillis() + " ms");
				}
				try {
					credit.wait(Math.max(1, left / 1_000_000));
				}
				catch (InterruptedException e) {
					Thread.currentThread().interrupt();
					throw new IOException("interrupted while sending to the sandbox's agent");
				}
			}
			return outbound;
		}
	}

	private boolean finishedEarly() {
		var head = inbox.peek();
		return head instanceof Frame frame
				&& (frame.type() == Protocol.ERROR || frame.type() == Protocol.EXIT || frame.type() == Protocol.OK);
	}

	/** Spend credit after a send. */
	private void spent(int bytes) {
		synchronized (credit) {
			outbound -= bytes;
		}
	}

	/**
	 * While sending, the agent already answered (an error, or the command ended without
	 * reading its input): the caller takes the answer.
	 */
	static final class EarlyAnswer extends IOException {

		EarlyAnswer() {
			super("the agent answered before all data was sent");
		}

	}

	private record Failed(String reason) {
	}

}
