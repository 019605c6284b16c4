package dev.airlock.runtime.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.airlock.runtime.ContainerNotRunning;
import dev.airlock.runtime.ExecOutput;
import dev.airlock.runtime.RuntimeError;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * One exec in the engine, in its parts: created with docker-java, attached over a raw
 * hijacked connection (so stdin can be half-closed: a real end-of-file), its
 * stdout/stderr frames handed on as they come, its exit code read once it has ended.
 */
@Component
class EngineExecs {

	private static final Logger log = LoggerFactory.getLogger(EngineExecs.class);

	/**
	 * An attached stream is silent while its command prints nothing: a read may wait the
	 * exec's timeout plus this, past the deadline thread's kill and grace, so it acts
	 * first.
	 */
	private static final Duration STREAM_GRACE = SandboxTools.TIMEOUT.plus(DockerExec.KILL_GRACE).plusSeconds(30);

	private final DockerClient docker;

	private final DockerSettings settings;

	EngineExecs(DockerClient docker, DockerSettings settings) {
		this.docker = docker;
		this.settings = settings;
	}

	String create(String sandboxId, String container, List<String> argv, List<String> env, @Nullable String workdir,
			String user, boolean stdin) {
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

	EngineConnection attach(String sandboxId, String execId, Duration timeout) {
		EngineConnection connection = null;
		var attached = false;
		try {
			connection = EngineConnection.open(settings);
			var body = "{\"Detach\":false,\"Tty\":false}".getBytes(StandardCharsets.US_ASCII);
			connection.send("POST", "/exec/" + execId + "/start", Map.of("Content-Type", "application/json",
					"Connection", "Upgrade", "Upgrade", "tcp", "Content-Length", String.valueOf(body.length)));
			connection.body().write(body);
			var response = connection.readResponse();
			if (response.status() == 101 || response.status() == 200) {
				connection.idleTimeout(timeout.plus(STREAM_GRACE));
				attached = true;
				return connection;
			}
			var message = connection.errorMessage(response);
			if (response.status() == 404 || response.status() == 409) {
				throw new ContainerNotRunning(sandboxId);
			}
			throw new RuntimeError("Docker refused to start the exec (HTTP " + response.status() + "): " + message,
					null);
		}
		catch (IOException e) {
			throw DockerErrors.translate("attach to an exec", new UncheckedIOException(e));
		}
		catch (RuntimeException e) { // a bad address, say: a problem, not a 500
			throw DockerErrors.translate("attach to an exec", e);
		}
		finally {
			if (!attached && connection != null) {
				connection.close(); // whatever went wrong, the channel is not left open
			}
		}
	}

	/**
	 * Hands the exec's output to {@code output}; an exception there means the listener is
	 * gone.
	 */
	static void pump(EngineConnection connection, ExecOutput output) throws IOException {
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

	static void writeStdin(EngineConnection connection, byte[] stdin) {
		try {
			connection.body().write(stdin);
			connection.shutdownOutput();
		}
		catch (IOException e) {
			// the command ended without reading all of its input: not an error
			log.debug("stdin not fully written: {}", e.getMessage());
		}
	}

	/**
	 * The engine records the exit code a moment after the stream ends: ask again, backing
	 * off from 1 ms.
	 */
	long exitCode(String execId) {
		for (int attempt = 0; attempt < 12; attempt++) {
			var inspected = DockerErrors.call("inspect an exec", () -> docker.inspectExecCmd(execId).exec());
			if (!Boolean.TRUE.equals(inspected.isRunning()) && inspected.getExitCodeLong() != null) {
				return inspected.getExitCodeLong();
			}
			Sleeps.quietly(Duration.ofMillis(1L << Math.min(attempt, 8)));
		}
		throw new RuntimeError("Docker did not report the exec's exit code", null);
	}

	/** The output sink failed (the client went away): the exec is cancelled. */
	static final class OutputFailed extends IOException {

		OutputFailed(Throwable cause) {
			super(cause);
		}

	}

}
