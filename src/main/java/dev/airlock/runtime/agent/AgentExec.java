package dev.airlock.runtime.agent;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.airlock.core.ErrorCode;
import dev.airlock.runtime.ExecCancelled;
import dev.airlock.runtime.ExecOutcome;
import dev.airlock.runtime.ExecOutput;
import dev.airlock.runtime.ExecSpec;
import dev.airlock.runtime.RuntimeError;
import dev.airlock.runtime.SandboxBusy;
import dev.airlock.runtime.SandboxPathRefused;

/**
 * Runs one command through the agent. The agent enforces the timeout and kills every
 * process the command started when it ends; Airlock keeps a later deadline of its own in
 * case the agent does not.
 */
public final class AgentExec {

	/** Output the agent may send ahead of the consumer. */
	static final int WINDOW = 256 * 1024;

	/** How long past the timeout the agent may take to report the kill. */
	private static final Duration BACKSTOP = Duration.ofSeconds(10);

	/** How long a cancelled command may take to report its end. */
	private static final Duration CANCEL_GRACE = Duration.ofSeconds(5);

	private AgentExec() {
	}

	public static ExecOutcome run(AgentSession session, String sandboxId, ExecSpec spec, ExecOutput output) {
		var started = System.nanoTime();
		var env = new ArrayList<String>();
		spec.env().forEach((key, value) -> env.add(key + "=" + value));
		var request = new Payload.Writer().list(spec.command())
			.list(env)
			.str(spec.workdir() == null ? "" : spec.workdir())
			.u32(Math.min(spec.timeout().toMillis(), 0xffffffffL))
			.u32(WINDOW)
			.u8(spec.stdin() == null ? 0 : 1)
			.request();
		var cancelled = new AtomicBoolean();
		try (var call = session.call()) {
			call.granted(WINDOW);
			call.request(Protocol.EXEC, request);
			output.started(() -> {
				if (cancelled.compareAndSet(false, true)) {
					cancel(call);
				}
			});
			if (spec.stdin() != null) {
				var stdin = spec.stdin();
				Thread.ofVirtual().name("exec-stdin-" + sandboxId).start(() -> {
					try {
						call.sendData(Protocol.STDIN, stdin, 0, stdin.length, true, spec.timeout().plus(BACKSTOP));
					}
					catch (IOException e) {
						// the command ended without reading all of its input: not an
						// error
					}
				});
			}
			var deadline = System.nanoTime() + spec.timeout().plus(BACKSTOP).toNanos();
			while (true) {
				var frame = call.take(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
				switch (frame.type()) {
					case Protocol.STARTED -> {
						// the command runs
					}
					case Protocol.STDOUT, Protocol.STDERR -> {
						try {
							if (frame.type() == Protocol.STDOUT) {
								output.stdout(frame.payload(), 0, frame.payload().length);
							}
							else {
								output.stderr(frame.payload(), 0, frame.payload().length);
							}
						}
						catch (IOException | RuntimeException clientGone) {
							cancel(call);
							awaitExit(call);
							throw new ExecCancelled(clientGone);
						}
						call.grant(frame.payload().length);
					}
					case Protocol.EXIT -> {
						call.finished();
						var reader = frame.reader();
						long exitCode = reader.i32();
						boolean timedOut = reader.u8() != 0;
						boolean wasCancelled = reader.u8() != 0;
						reader.done();
						if (wasCancelled || cancelled.get()) {
							throw new ExecCancelled(null);
						}
						return new ExecOutcome(exitCode, timedOut, Duration.ofNanos(System.nanoTime() - started));
					}
					case Protocol.ERROR -> {
						call.finished();
						throw failure(frame);
					}
					default -> throw violation(session, "an unexpected " + frame + " answering an exec");
				}
			}
		}
		catch (IOException e) {
			throw new RuntimeError("The exec could not be sent to the sandbox's agent: " + e.getMessage(), e);
		}
		catch (AgentFailed e) {
			if (cancelled.get()) {
				throw new ExecCancelled(e);
			}
			throw new RuntimeError("The exec failed: " + e.getMessage(), e);
		}
		catch (AgentViolation e) {
			throw violation(session, e.getMessage());
		}
	}

	private static void cancel(AgentCall call) {
		try {
			call.send(Protocol.CANCEL, 0, new byte[0]);
		}
		catch (IOException e) {
			// the session is gone, and with it the agent's reason to keep the command
		}
	}

	/** After a cancel: waits (briefly) until the agent says every process is gone. */
	private static void awaitExit(AgentCall call) {
		var deadline = System.nanoTime() + CANCEL_GRACE.toNanos();
		try {
			while (System.nanoTime() < deadline) {
				var frame = call.take(Duration.ofNanos(deadline - System.nanoTime()));
				if (frame.type() == Protocol.EXIT || frame.type() == Protocol.ERROR) {
					call.finished();
					return;
				}
				if (Protocol.consumesCredit(frame.type())) {
					call.grant(frame.payload().length);
				}
			}
		}
		catch (AgentFailed | IOException e) {
			// nothing more will come
		}
	}

	static RuntimeException failure(Frame frame) {
		var error = AgentError.of(frame);
		var code = error.code();
		var message = error.message();
		return switch (code) {
			case NOT_FOUND -> new SandboxPathRefused(ErrorCode.VALIDATION_FAILED,
					"The working folder does not exist in the sandbox: " + message);
			case NOT_A_DIRECTORY ->
				new SandboxPathRefused(ErrorCode.VALIDATION_FAILED, "The working folder is not a folder: " + message);
			case PATH_REFUSED, PERMISSION_DENIED -> new SandboxPathRefused(ErrorCode.PATH_NOT_ALLOWED, message);
			case LIMIT -> new SandboxBusy("The sandbox's agent refused the exec: " + message);
			case INVALID -> new RuntimeError("The sandbox's agent refused the exec: " + message, null);
			default ->
				new RuntimeError("The sandbox's agent could not run the command (" + code + "): " + message, null);
		};
	}

	/** An ERROR answering a call that has no errors of its own to tell. */
	static RuntimeException refusal(Frame frame, String what) {
		var error = AgentError.of(frame);
		var code = error.code();
		var message = error.message();
		return code == Protocol.Failure.LIMIT
				? new SandboxBusy("The sandbox's agent could not " + what + ": " + message)
				: new RuntimeError("The sandbox's agent could not " + what + " (" + code + "): " + message, null);
	}

	static RuntimeException violation(AgentSession session, String what) {
		session.fail(what);
		return new RuntimeError("The sandbox's agent broke the protocol: " + what, null);
	}

}
