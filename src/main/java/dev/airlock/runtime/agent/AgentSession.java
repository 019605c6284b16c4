package dev.airlock.runtime.agent;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.airlock.runtime.SandboxBusy;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One multiplexed session with one sandbox's agent: any number of calls at once, each on
 * its own stream with its own credit, so a slow consumer holds up only its own call. One
 * virtual thread reads the agent's frames and hands them to their calls without ever
 * waiting on a consumer. Whatever the agent sends is checked; a violation ends the
 * session, and only this session.
 */
public final class AgentSession implements Closeable {

	/** Calls at once on one session; the agent's own limit (64) is never reached. */
	static final int MAX_CALLS = 56;

	/** The most bytes of an earlier session skipped while waiting for the handshake. */
	private static final long HANDSHAKE_SKIP_LIMIT = 4L << 20;

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final Logger log = LoggerFactory.getLogger(AgentSession.class);

	private final String name;

	private final DataInputStream in;

	private final OutputStream out;

	private final Closeable transport;

	private final Listener listener;

	private final Object writing = new Object();

	private final ConcurrentHashMap<Integer, AgentCall> calls = new ConcurrentHashMap<>();

	private final AtomicInteger nextStream = new AtomicInteger(1);

	private final String agentVersion;

	private final int version;

	private final int egressPort;

	private volatile long lastHeard = System.nanoTime();

	private volatile @Nullable String failure;

	private AgentSession(String name, DataInputStream in, OutputStream out, Closeable transport, Listener listener,
			Frame helloOk) {
		this.name = name;
		this.in = in;
		this.out = out;
		this.transport = transport;
		this.listener = listener;
		var hello = helloOk.reader();
		this.version = hello.u16();
		hello.raw(16);
		hello.u32(); // its largest payload: it takes the protocol's, ours
		this.agentVersion = hello.str();
		hello.u32(); // heartbeat interval
		hello.u32(); // the agent's pid
		this.egressPort = version >= 3 ? hello.u16() : 0;
		hello.done();
		if (version < Protocol.MIN_VERSION || version > Protocol.VERSION) {
			throw new AgentViolation("the agent chose protocol version " + version + ", which was not offered");
		}
	}

	/**
	 * Shakes hands over an open transport and starts reading. The caller bounds how long
	 * this may block (the transport's own read and write deadlines).
	 * @param flush whether to send the flush first: needed whenever an earlier connection
	 * to this agent may have been cut inside a frame
	 */
	public static AgentSession open(String name, InputStream fromAgent, OutputStream toAgent, Closeable transport,
			boolean flush, Listener listener) throws IOException {
		var in = new DataInputStream(new BufferedInputStream(fromAgent, 64 * 1024));
		var nonce = new byte[16];
		RANDOM.nextBytes(nonce);
		var hello = new Payload.Writer().u16(Protocol.MIN_VERSION).u16(Protocol.VERSION).raw(nonce).bytes();
		if (flush) {
			toAgent.write(new byte[Protocol.FLUSH]);
		}
		FrameCodec.write(toAgent, Frame.of(Protocol.HELLO, 0, hello));
		toAgent.flush();
		var answer = FrameCodec.awaitHelloOk(in, nonce, HANDSHAKE_SKIP_LIMIT);
		var session = new AgentSession(name, in, toAgent, transport, listener, answer);
		Thread.ofVirtual().name("agent-" + name).start(session::readLoop);
		return session;
	}

	public String agentVersion() {
		return agentVersion;
	}

	/**
	 * The protocol version the agent chose: an agent from before {@code RESOLVE} chose 1,
	 * one from before {@code DEFAULTS} at most 3.
	 */
	int version() {
		return version;
	}

	/** The agent's egress port in the sandbox; 0 when it has none. */
	public int egressPort() {
		return egressPort;
	}

	/**
	 * Opens a tunnel call; returns at once (see {@link AgentTunnel#awaitAccepted()}).
	 * @param window bytes of the client's the agent may send ahead of the reader
	 */
	public AgentTunnel accept(int window) {
		return AgentTunnel.open(this, version, window);
	}

	/** Whether the session still stands. */
	public boolean alive() {
		return failure == null;
	}

	/** How long the agent has said nothing (it sends a heartbeat twice a second). */
	public Duration silence() {
		return Duration.ofNanos(System.nanoTime() - lastHeard);
	}

	/** Ends the session because of something the agent did (or did not do). */
	public void fail(String reason) {
		end(reason, Ending.AGENTS_FAULT);
	}

	@Override
	public void close() {
		end("the session was closed", Ending.CLOSED);
	}

	AgentCall call() {
		if (calls.size() >= MAX_CALLS) {
			throw new SandboxBusy("The sandbox already serves " + MAX_CALLS
					+ " calls at once (execs, transfers, log follows); try again when one has ended.");
		}
		var id = nextStream.getAndIncrement();
		var call = new AgentCall(this, id);
		calls.put(id, call);
		if (failure != null) { // ended meanwhile: the call must not wait for nothing
			call.fail(failure);
		}
		return call;
	}

	void forget(AgentCall call) {
		calls.remove(call.stream());
	}

	void send(Frame frame) throws IOException {
		send(FrameCodec.encode(frame));
	}

	/** Sends a request, in parts when it is over one frame. */
	void sendRequest(int type, int stream, byte[] request) throws IOException {
		send(FrameCodec.request(type, stream, request));
	}

	private void send(byte[] bytes) throws IOException {
		synchronized (writing) {
			var reason = failure;
			if (reason != null) {
				throw new IOException("the session with the agent ended: " + reason);
			}
			try {
				out.write(bytes);
				out.flush();
			}
			catch (IOException e) {
				end("writing to the agent failed: " + e.getMessage(), Ending.CONNECTION_LOST);
				throw e;
			}
		}
	}

	private void readLoop() {
		try {
			while (failure == null) {
				var frame = FrameCodec.read(in);
				lastHeard = System.nanoTime();
				dispatch(frame);
			}
		}
		catch (AgentViolation e) {
			end("the agent broke the protocol: " + e.getMessage(), Ending.AGENTS_FAULT);
		}
		catch (EOFException e) {
			end("the agent's stream ended", Ending.CONNECTION_LOST);
		}
		catch (IOException | RuntimeException e) {
			end("reading from the agent failed: " + e.getMessage(), Ending.CONNECTION_LOST);
		}
	}

	private void dispatch(Frame frame) {
		if (frame.stream() == 0) {
			switch (frame.type()) {
				case Protocol.HEARTBEAT -> frame.reader().done();
				case Protocol.MAIN_EXITED -> {
					var reader = frame.reader();
					int exitCode = reader.i32();
					int signal = reader.i32();
					reader.done();
					listener.mainExited(exitCode, signal);
				}
				case Protocol.HELLO_OK -> {
					// another connection (another Airlock, or this one's successor) said
					// HELLO: the agent serves it now, and this session is over
					end("another connection took over the agent", Ending.TAKEN_OVER);
				}
				case Protocol.ERROR -> {
					// the agent ended the session: another connection's flush (or this
					// side)
					// broke the protocol; whoever needs the agent next reconnects
					var error = AgentError.of(frame);
					end("the agent ended the session (" + error.code() + "): " + error.message(), Ending.TAKEN_OVER);
				}
				default -> throw new AgentViolation("an unexpected " + frame + " on the session");
			}
			return;
		}
		var call = calls.get(frame.stream());
		if (call != null) {
			call.deliver(frame);
		}
		else if (Integer.compareUnsigned(frame.stream(), nextStream.get()) >= 0) {
			throw new AgentViolation(
					"a frame for stream " + Integer.toUnsignedString(frame.stream()) + ", which was never opened");
		}
		// else: a call given up on; its last frames may still arrive
	}

	private void end(String reason, Ending ending) {
		synchronized (this) {
			if (failure != null) {
				return;
			}
			failure = reason;
		}
		try {
			transport.close();
		}
		catch (IOException | RuntimeException e) {
			log.debug("Closing the transport of {}: {}", name, e.getMessage());
		}
		for (var call : List.copyOf(calls.values())) {
			call.fail(reason);
		}
		listener.ended(reason, ending);
	}

	/** Why a session ended. */
	public enum Ending {

		/** The agent broke the protocol or went silent: it cannot be trusted. */
		AGENTS_FAULT,
		/** The connection went away (the engine restarted, the container stopped). */
		CONNECTION_LOST,
		/** Another connection said HELLO: the agent serves that one now. */
		TAKEN_OVER,
		/** This side closed it. */
		CLOSED

	}

	/** What the session tells its owner. */
	public interface Listener {

		/** The sandbox's main command exited. */
		void mainExited(int exitCode, int signal);

		/** The session is over. */
		void ended(String reason, Ending ending);

	}

}
