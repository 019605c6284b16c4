package dev.airlock.runtime.agent;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One connection a process of the sandbox opened to the agent's egress port, relayed over
 * the session (an {@code ACCEPT} call): the client's bytes come out of {@link #input()},
 * which grants the agent credit as they are read; {@link #output()} sends bytes to the
 * client within the credit the agent grants as it writes them into the socket. Neither
 * side buffers more than its window, whatever the client does.
 */
public final class AgentTunnel implements Closeable {

	/**
	 * How long a read or a write may block: the owner's idle timeout ends a tunnel long
	 * before.
	 */
	private static final Duration PATIENCE = Duration.ofDays(1);

	/**
	 * How long {@link #close()} after {@link #shutdownOutput()} waits for the client to
	 * take the last bytes and end its side, before it resets the connection.
	 */
	static final Duration LINGER = Duration.ofSeconds(5);

	private final AgentSession session;

	private final AgentCall call;

	private final Input input;

	private final Output output = new Output();

	private final AtomicBoolean closed = new AtomicBoolean();

	private volatile int peerPort = -1;

	private volatile boolean outputShut;

	/** The agent sent the call's final frame. */
	private volatile boolean done;

	private AgentTunnel(AgentSession session, AgentCall call, int window) {
		this.session = session;
		this.call = call;
		this.input = new Input(call, window);
	}

	static AgentTunnel open(AgentSession session, int version, int window) {
		if (version < 3) {
			throw new AgentFailed("the sandbox's agent speaks protocol version " + version + ", without tunnels");
		}
		if (window <= 0) {
			throw new IllegalArgumentException("a tunnel's window must be positive: " + window);
		}
		var call = session.call();
		call.granted(window);
		try {
			call.send(Protocol.ACCEPT, 0, new Payload.Writer().u32(window).bytes());
		}
		catch (IOException e) {
			// the session ended: every call on it failed, awaitAccepted() says so
		}
		return new AgentTunnel(session, call, window);
	}

	/**
	 * Blocks until a client connected and the agent took the connection for this call.
	 * @throws AgentFailed when the session ended, the agent refused, or the tunnel was
	 * closed meanwhile
	 */
	public void awaitAccepted() {
		if (peerPort >= 0) {
			return;
		}
		var frame = call.take(PATIENCE);
		try {
			if (frame.type() == Protocol.ERROR) {
				finish();
				var error = AgentError.of(frame);
				throw new AgentFailed("the agent took no connection (" + error.code() + "): " + error.message());
			}
			if (frame.type() != Protocol.ACCEPTED) {
				throw new AgentViolation("an unexpected " + frame + " answering an accept");
			}
			var reader = frame.reader();
			int port = reader.u16();
			reader.done();
			peerPort = port;
		}
		catch (AgentViolation e) {
			throw AgentExec.violation(session, e.getMessage());
		}
	}

	/** The client's source port on the sandbox's loopback. */
	public int peerPort() {
		if (peerPort < 0) {
			throw new IllegalStateException("no connection accepted yet");
		}
		return peerPort;
	}

	/** The client's bytes; -1 once it shut down its side. */
	public InputStream input() {
		return input;
	}

	/**
	 * Bytes for the client; a write blocks while the agent's credit is spent (the client
	 * does not read). {@code close()} shuts the output down.
	 */
	public OutputStream output() {
		return output;
	}

	/** Ends the bytes for the client: it reads EOF once it has read them all. */
	public void shutdownOutput() throws IOException {
		synchronized (output) {
			if (outputShut) {
				return;
			}
			outputShut = true;
			if (!done) {
				call.sendData(Protocol.DATA, new byte[0], 0, 0, true, PATIENCE);
			}
		}
	}

	/**
	 * Ends the tunnel. After {@link #shutdownOutput()} it waits (at most {@link #LINGER})
	 * for the client to read what is left and end its side, discarding what it still
	 * sends; otherwise, or when that does not happen, the agent resets the connection.
	 * Idempotent; whoever still waits on the tunnel stops waiting.
	 */
	@Override
	public void close() {
		if (!closed.compareAndSet(false, true)) {
			return;
		}
		if (outputShut && peerPort >= 0) {
			linger();
		}
		if (!done) {
			call.cancel("the tunnel was closed");
			call.finished();
		}
	}

	private void linger() {
		long deadline = System.nanoTime() + LINGER.toNanos();
		try {
			while (!done && deadline - System.nanoTime() > 0) {
				var frame = call.take(Duration.ofNanos(deadline - System.nanoTime()));
				if (frame.type() == Protocol.OK || frame.type() == Protocol.ERROR) {
					finish();
				}
				else if (frame.type() == Protocol.DATA && !frame.end()) {
					call.grant(frame.payload().length);
				}
			}
		}
		catch (AgentFailed | IOException e) {
			// the session ended, or the client took too long: it is reset
		}
	}

	/** The final frame came: the call is over, and whoever waits on it stops waiting. */
	private void finish() {
		done = true;
		call.finished();
		call.fail("the tunnel has ended");
	}

	private final class Input extends FrameInput {

		Input(AgentCall call, int window) {
			super(call, window / 4);
		}

		@Override
		Frame next() throws IOException {
			var frame = take(PATIENCE, "tunnel");
			try {
				switch (frame.type()) {
					case Protocol.DATA -> {
						return frame;
					}
					case Protocol.OK -> throw new AgentViolation("OK before the end of the client's bytes");
					case Protocol.ERROR -> {
						finish();
						var error = AgentError.of(frame);
						throw new IOException(
								"the client's connection broke (" + error.code() + "): " + error.message());
					}
					default -> throw new AgentViolation("an unexpected " + frame + " in a tunnel");
				}
			}
			catch (AgentViolation e) {
				throw new IOException(AgentExec.violation(session, e.getMessage()));
			}
		}

	}

	private final class Output extends OutputStream {

		@Override
		public void write(int b) throws IOException {
			write(new byte[] { (byte) b }, 0, 1);
		}

		@Override
		public synchronized void write(byte[] buffer, int offset, int length) throws IOException {
			Objects.checkFromIndexSize(offset, length, buffer.length);
			if (outputShut || done || closed.get()) {
				throw new IOException("the tunnel's output has ended");
			}
			if (length > 0) {
				call.sendData(Protocol.DATA, buffer, offset, length, false, PATIENCE);
			}
		}

		@Override
		public void close() throws IOException {
			shutdownOutput();
		}

	}

}
