package dev.airlock.runtime.docker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.airlock.runtime.ContainerExec;
import dev.airlock.runtime.ContainerNotRunning;
import dev.airlock.runtime.ExecCancelled;
import dev.airlock.runtime.ExecOutcome;
import dev.airlock.runtime.ExecOutput;
import dev.airlock.runtime.ExecSpec;
import dev.airlock.runtime.RuntimeError;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

	static final String MARKER = "AIRLOCK_EXEC_ID";
	static final long KILLED_EXIT_CODE = 137;

	private static final Logger log = LoggerFactory.getLogger(DockerExec.class);

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final Duration KILL_GRACE = Duration.ofSeconds(2);

	private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(30);

	/**
	 * An attached stream is silent while its command prints nothing: a read may wait the
	 * exec's timeout plus this, past the deadline thread's kill and grace, so it acts
	 * first.
	 */
	private static final Duration STREAM_GRACE = TOOL_TIMEOUT.plus(KILL_GRACE).plusSeconds(30);

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

	/**
	 * Kills, in passes until none is left, every process whose environment holds the
	 * marker.
	 */
	private static final String KILL_TREE = """
			B=%s; i=0
			while [ $i -lt 20 ]; do
			  i=$((i+1))
			  pids=$($B grep -lzxF "%s=$1" /proc/[0-9]*/environ 2>/dev/null | $B sed -n 's#^/proc/\\([0-9]*\\)/environ$#\\1#p')
			  [ -z "$pids" ] && exit 0
			  kill -9 $pids 2>/dev/null
			done
			exit 1
			"""
		.formatted(ToolsVolume.BUSYBOX, MARKER);

	private final DockerClient docker;

	private final DockerSettings settings;

	DockerExec(DockerClient docker, DockerSettings settings) {
		this.docker = docker;
		this.settings = settings;
	}

	@Override
	public ExecOutcome exec(String sandboxId, ExecSpec spec, ExecOutput output) {
		var container = DockerNames.container(sandboxId);
		var token = HexFormat.of().formatHex(randomBytes(12));
		var argv = new ArrayList<String>(List.of(ToolsVolume.BUSYBOX, "sh", "-c", LAUNCH, "sh"));
		argv.addAll(spec.command());
		var env = new ArrayList<String>();
		spec.env().forEach((key, value) -> env.add(key + "=" + value));
		env.add(MARKER + "=" + token);
		var execId = create(sandboxId, container, argv, env, spec.workdir(), spec.user(), spec.stdin() != null);

		var started = System.nanoTime();
		var timedOut = new AtomicBoolean();
		var cancelled = new AtomicBoolean();
		var finished = new AtomicBoolean();
		try (var connection = attach(sandboxId, execId, spec.timeout())) {
			output.started(() -> {
				if (!finished.get() && cancelled.compareAndSet(false, true)) {
					killTree(container, token, spec.user());
					connection.close();
				}
			});
			if (spec.stdin() != null) {
				Thread.ofVirtual().name("exec-stdin-" + execId).start(() -> writeStdin(connection, spec.stdin()));
			}
			var watchdog = Thread.ofVirtual().name("exec-deadline-" + execId).start(() -> {
				try {
					Thread.sleep(spec.timeout());
				}
				catch (InterruptedException e) {
					return; // finished in time
				}
				timedOut.set(true);
				killTree(container, token, spec.user());
				sleepQuietly(KILL_GRACE);
				if (!finished.get()) {
					connection.close(); // the stream did not end: stop waiting for it
				}
			});
			try {
				pump(connection, output);
			}
			catch (OutputFailed clientGone) {
				killTree(container, token, spec.user());
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
				watchdog.interrupt();
			}
		}
		var duration = Duration.ofNanos(System.nanoTime() - started);
		if (timedOut.get()) {
			return new ExecOutcome(KILLED_EXIT_CODE, true, duration);
		}
		return new ExecOutcome(exitCode(execId), false, duration);
	}

	/** Runs one of Airlock's own helpers and collects what it prints (capped). */
	ToolResult runTool(String sandboxId, String container, String user, String... argv) {
		var execId = create(sandboxId, container, List.of(argv), List.of(), null, user, false);
		var out = new CappedBytes(1 << 20);
		var err = new CappedBytes(64 * 1024);
		try (var connection = attach(sandboxId, execId, TOOL_TIMEOUT)) {
			var timer = Thread.ofVirtual().start(() -> {
				if (sleepQuietly(TOOL_TIMEOUT)) {
					connection.close();
				}
			});
			try {
				pump(connection, new ExecOutput() {
					@Override
					public void stdout(byte[] buffer, int offset, int length) {
						out.write(buffer, offset, length);
					}

					@Override
					public void stderr(byte[] buffer, int offset, int length) {
						err.write(buffer, offset, length);
					}
				});
			}
			catch (IOException e) {
				throw new RuntimeError("A helper in the sandbox did not finish: " + e.getMessage(), e);
			}
			finally {
				timer.interrupt();
			}
		}
		return new ToolResult(exitCode(execId), out.text(), err.text());
	}

	private String create(String sandboxId, String container, List<String> argv, List<String> env,
			@Nullable String workdir, String user, boolean stdin) {
		try {
			var command = docker.execCreateCmd(container)
				.withCmd(argv.toArray(String[]::new))
				.withEnv(env)
				.withUser(user)
				.withAttachStdin(stdin)
				.withAttachStdout(true)
				.withAttachStderr(true)
				.withTty(false);
			if (workdir != null) {
				command.withWorkingDir(workdir);
			}
			return command.exec().getId();
		}
		catch (NotFoundException | ConflictException e) {
			throw new ContainerNotRunning(sandboxId);
		}
		catch (RuntimeException e) {
			throw DockerErrors.translate("create an exec", e);
		}
	}

	private EngineConnection attach(String sandboxId, String execId, Duration timeout) {
		EngineConnection connection = null;
		try {
			connection = EngineConnection.open(settings);
			var body = "{\"Detach\":false,\"Tty\":false}".getBytes(StandardCharsets.US_ASCII);
			connection.send("POST", "/exec/" + execId + "/start", Map.of("Content-Type", "application/json",
					"Connection", "Upgrade", "Upgrade", "tcp", "Content-Length", String.valueOf(body.length)));
			connection.body().write(body);
			var response = connection.readResponse();
			if (response.status() == 101 || response.status() == 200) {
				connection.idleTimeout(timeout.plus(STREAM_GRACE));
				return connection;
			}
			var message = connection.errorMessage(response);
			connection.close();
			if (response.status() == 404 || response.status() == 409) {
				throw new ContainerNotRunning(sandboxId);
			}
			throw new RuntimeError("Docker refused to start the exec (HTTP " + response.status() + "): " + message,
					null);
		}
		catch (IOException e) {
			if (connection != null) {
				connection.close();
			}
			throw DockerErrors.translate("attach to an exec", new UncheckedIOException(e));
		}
	}

	/**
	 * Hands the exec's output to {@code output}; an exception there means the listener is
	 * gone.
	 */
	private static void pump(EngineConnection connection, ExecOutput output) throws IOException {
		var body = connection.responseBody(new EngineConnection.Response(101, Map.of()));
		MultiplexedStream.read(body, (stream, buffer, length) -> {
			try {
				if (stream == MultiplexedStream.STDERR) {
					output.stderr(buffer, 0, length);
				}
				else if (stream == MultiplexedStream.STDOUT) {
					output.stdout(buffer, 0, length);
				}
			}
			catch (IOException | RuntimeException e) {
				throw new OutputFailed(e);
			}
			return true;
		});
	}

	private static void writeStdin(EngineConnection connection, byte[] stdin) {
		try {
			connection.body().write(stdin);
			connection.shutdownOutput();
		}
		catch (IOException e) {
			// the command ended without reading all of its input: not an error
			log.debug("stdin not fully written: {}", e.getMessage());
		}
	}

	private void killTree(String container, String token, String user) {
		try {
			var result = runTool(container, container, user, ToolsVolume.BUSYBOX, "sh", "-c", KILL_TREE, "sh", token);
			if (result.exitCode() != 0) {
				log.warn("Exec {} in {}: processes kept reappearing while being killed", token, container);
			}
		}
		catch (RuntimeException e) {
			log.warn("Could not kill the processes of exec {} in {}: {}", token, container, e.getMessage());
		}
	}

	/**
	 * The engine records the exit code a moment after the stream ends: ask again, backing
	 * off from 1 ms.
	 */
	private long exitCode(String execId) {
		for (int attempt = 0; attempt < 12; attempt++) {
			var inspected = DockerErrors.call("inspect an exec", () -> docker.inspectExecCmd(execId).exec());
			if (!Boolean.TRUE.equals(inspected.isRunning()) && inspected.getExitCodeLong() != null) {
				return inspected.getExitCodeLong();
			}
			sleepQuietly(Duration.ofMillis(1L << Math.min(attempt, 8)));
		}
		throw new RuntimeError("Docker did not report the exec's exit code", null);
	}

	/**
	 * @return true when the full time passed, false when interrupted
	 */
	private static boolean sleepQuietly(Duration duration) {
		try {
			Thread.sleep(duration);
			return true;
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private static byte[] randomBytes(int n) {
		var bytes = new byte[n];
		RANDOM.nextBytes(bytes);
		return bytes;
	}

	/** What a helper printed and how it ended. */
	record ToolResult(long exitCode, String stdout, String stderr) {
	}

	/** The output sink failed (the client went away): the exec is cancelled. */
	private static final class OutputFailed extends IOException {

		OutputFailed(Throwable cause) {
			super(cause);
		}

	}

	/** Bytes up to a cap; the rest is dropped. */
	private static final class CappedBytes {

		private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

		private final int cap;

		CappedBytes(int cap) {
			this.cap = cap;
		}

		void write(byte[] buffer, int offset, int length) {
			bytes.write(buffer, offset, Math.max(0, Math.min(length, cap - bytes.size())));
		}

		String text() {
			return bytes.toString(StandardCharsets.UTF_8);
		}

	}

}
