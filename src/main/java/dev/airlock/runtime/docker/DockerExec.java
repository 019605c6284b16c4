package dev.airlock.runtime.docker;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.airlock.runtime.ContainerExec;
import dev.airlock.runtime.ExecCancelled;
import dev.airlock.runtime.ExecOutcome;
import dev.airlock.runtime.ExecOutput;
import dev.airlock.runtime.ExecSpec;
import dev.airlock.runtime.RuntimeError;
import org.springframework.stereotype.Component;

/**
 * Runs commands in sandbox containers. The exec is created with docker-java and attached
 * over a raw hijacked connection, so that stdin can be half-closed (a real end-of-file)
 * and output streams without buffering. Every exec carries a marker in its environment;
 * on timeout or cancel a helper kills every process that carries it, which reaches
 * children that went to the background or into a new session.
 */
@Component
class DockerExec implements ContainerExec {

	static final long KILLED_EXIT_CODE = 137;

	/**
	 * After a timeout's kill, how long the stream may take to end before it is closed.
	 */
	static final Duration KILL_GRACE = Duration.ofSeconds(2);

	private static final SecureRandom RANDOM = new SecureRandom();

	/**
	 * Finds the program on the image's PATH and execs it by its absolute path: the
	 * image's own program runs, never one of busybox's applets of the same name (busybox
	 * prefers those when handed a bare name), and a missing program is 127 with the
	 * message on stderr, as in a shell. No shell of the image's is needed.
	 */
	private static final String LAUNCH = """
			case "$1" in */*) exec "$@";; esac
			IFS=:
			for d in ${PATH:-/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin}; do
			  if [ -f "$d/$1" ] && [ -x "$d/$1" ]; then p="$d/$1"; shift; exec "$p" "$@"; fi
			done
			echo "$1: command not found" >&2
			exit 127
			""";

	private final EngineExecs execs;

	private final SandboxTools tools;

	DockerExec(EngineExecs execs, SandboxTools tools) {
		this.execs = execs;
		this.tools = tools;
	}

	@Override
	public ExecOutcome exec(String sandboxId, ExecSpec spec, ExecOutput output) {
		var container = DockerNames.container(sandboxId);
		var token = HexFormat.of().formatHex(randomBytes(12));
		var argv = new ArrayList<String>(List.of(ToolsVolume.BUSYBOX, "sh", "-c", LAUNCH, "sh"));
		argv.addAll(spec.command());
		var env = new ArrayList<String>();
		spec.env().forEach((key, value) -> env.add(key + "=" + value));
		env.add(SandboxTools.MARKER + "=" + token);
		var execId = execs.create(sandboxId, container, argv, env, spec.workdir(), spec.user(), spec.stdin() != null);

		var started = System.nanoTime();
		var timedOut = new AtomicBoolean();
		var cancelled = new AtomicBoolean();
		var finished = new AtomicBoolean();
		try (var connection = execs.attach(sandboxId, execId, spec.timeout())) {
			output.started(() -> {
				if (!finished.get() && cancelled.compareAndSet(false, true)) {
					tools.killTree(sandboxId, token, spec.user());
					connection.close();
				}
			});
			if (spec.stdin() != null) {
				Thread.ofVirtual()
					.name("exec-stdin-" + execId)
					.start(() -> EngineExecs.writeStdin(connection, spec.stdin()));
			}
			var watchdog = Thread.ofVirtual().name("exec-deadline-" + execId).start(() -> {
				try {
					Thread.sleep(spec.timeout());
				}
				catch (InterruptedException e) {
					return; // finished in time
				}
				timedOut.set(true);
				tools.killTree(sandboxId, token, spec.user());
				Sleeps.quietly(KILL_GRACE);
				if (!finished.get()) {
					connection.close(); // the stream did not end: stop waiting for it
				}
			});
			try {
				EngineExecs.pump(connection, output);
			}
			catch (EngineExecs.OutputFailed clientGone) {
				tools.killTree(sandboxId, token, spec.user());
				throw new ExecCancelled(clientGone.getCause());
			}
			catch (IOException e) {
				if (cancelled.get()) {
					throw new ExecCancelled(e);
				}
				if (!timedOut.get()) {
					throw new RuntimeError("The exec stream broke: " + e.getMessage(), e);
				}
			}
			finally {
				finished.set(true);
				if (!timedOut.get()) {
					watchdog.interrupt(); // still asleep: wake it; once killing, let it
											// finish
				}
			}
		}
		var duration = Duration.ofNanos(System.nanoTime() - started);
		if (timedOut.get()) {
			return new ExecOutcome(KILLED_EXIT_CODE, true, duration);
		}
		return new ExecOutcome(execs.exitCode(execId), false, duration);
	}

	private static byte[] randomBytes(int n) {
		var bytes = new byte[n];
		RANDOM.nextBytes(bytes);
		return bytes;
	}

}
