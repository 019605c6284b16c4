package dev.airlock.runtime.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.airlock.runtime.ExecOutput;
import dev.airlock.runtime.RuntimeError;

/**
 * The main command's output, kept by the agent in a bounded ring: the tail of it, or the
 * tail followed by everything new as it comes.
 */
public final class AgentLogs {

	/** Output a follower may be sent ahead of its client. */
	static final int WINDOW = 256 * 1024;

	private static final Duration PATIENCE = Duration.ofSeconds(30);

	private AgentLogs() {
	}

	/** The last {@code tail} lines (0: all kept), at most {@code maxBytes}. */
	public static String tail(AgentSession session, int tail, int maxBytes) {
		var text = new ByteArrayOutputStream();
		try (var call = session.call()) {
			call.granted((long) maxBytes + Protocol.MAX_PAYLOAD);
			call.send(Protocol.LOGS, 0, request(tail, maxBytes, false, maxBytes + Protocol.MAX_PAYLOAD));
			while (true) {
				var frame = call.take(PATIENCE);
				if (frame.type() == Protocol.ERROR) {
					call.finished();
					throw AgentExec.refusal(frame, "read the logs");
				}
				if (frame.type() != Protocol.LOG) {
					throw AgentExec.violation(session, "an unexpected " + frame + " answering a logs request");
				}
				var payload = frame.payload();
				if (payload.length > 1) {
					text.write(payload, 1, Math.min(payload.length - 1, maxBytes - text.size()));
				}
				if (frame.end()) {
					call.finished();
					return text.toString(StandardCharsets.UTF_8);
				}
			}
		}
		catch (IOException | AgentFailed e) {
			throw new RuntimeError("Reading the logs through the sandbox's agent failed: " + e.getMessage(), e);
		}
		catch (AgentViolation e) {
			throw AgentExec.violation(session, e.getMessage());
		}
	}

	/**
	 * Sends the tail, then new output as it comes, until the main command's output ends,
	 * the session ends (the sandbox ended) or {@code output} throws (the client left).
	 */
	public static void follow(AgentSession session, int tail, int maxBytes, ExecOutput output) {
		try (var call = session.call()) {
			call.granted(WINDOW);
			call.send(Protocol.LOGS, 0, request(tail, maxBytes, true, WINDOW));
			// a client that leaves while the output is quiet is found by the stream's
			// heartbeat, which cancels here
			output.started(() -> call.cancel("the client went away"));
			while (true) {
				Frame frame;
				try {
					frame = call.take(Duration.ofDays(365));
				}
				catch (AgentFailed sessionEnded) {
					return; // the sandbox ended (or the client left): so does the stream
				}
				if (frame.type() == Protocol.ERROR) {
					call.finished();
					return; // refused (the sandbox is busy, say): the stream ends
				}
				if (frame.type() != Protocol.LOG || (frame.payload().length == 0 && !frame.end())) {
					throw AgentExec.violation(session, "an unexpected " + frame + " in a log follow");
				}
				var payload = frame.payload();
				if (payload.length > 1) {
					if (payload[0] == 2) {
						output.stderr(payload, 1, payload.length - 1);
					}
					else {
						output.stdout(payload, 1, payload.length - 1);
					}
				}
				if (frame.end()) {
					call.finished();
					return;
				}
				call.grant(payload.length);
			}
		}
		catch (IOException | RuntimeException clientGone) {
			// the client went away (or the session broke): the call's close cancels the
			// follow
		}
	}

	/**
	 * A LOGS request. To the agent 0 lines means all it kept; to callers it means none
	 * (with a follow: only what comes from now on), so none is asked as 0 bytes.
	 */
	private static byte[] request(int tail, int maxBytes, boolean follow, int window) {
		return new Payload.Writer().u32(tail).u32(tail == 0 ? 0 : maxBytes).u8(follow ? 1 : 0).u32(window).bytes();
	}

}
