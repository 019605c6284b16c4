package dev.airlock.runtime.docker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import dev.airlock.runtime.ExecOutput;
import dev.airlock.runtime.RuntimeError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Airlock's own helpers inside a sandbox, run by the busybox of the tools volume, so they
 * work in any image: listing, deleting, and the kill of an exec's process tree.
 */
@Component
class SandboxTools {

	/** The environment variable that marks every process an exec started. */
	static final String MARKER = "AIRLOCK_EXEC_ID";

	/** The longest a helper may take. */
	static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final Logger log = LoggerFactory.getLogger(SandboxTools.class);

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

	private final EngineExecs execs;

	SandboxTools(EngineExecs execs) {
		this.execs = execs;
	}

	/** Runs one of Airlock's own helpers and collects what it prints (capped). */
	ToolResult run(String sandboxId, String user, String... argv) {
		var container = DockerNames.container(sandboxId);
		var execId = execs.create(sandboxId, container, List.of(argv), List.of(), null, user, false);
		var out = new CappedBytes(1 << 20);
		var err = new CappedBytes(64 * 1024);
		try (var connection = execs.attach(sandboxId, execId, TIMEOUT)) {
			var timer = Thread.ofVirtual().start(() -> {
				if (Sleeps.quietly(TIMEOUT)) {
					connection.close();
				}
			});
			try {
				EngineExecs.pump(connection, new ExecOutput() {
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
		return new ToolResult(execs.exitCode(execId), out.text(), err.text());
	}

	void killTree(String sandboxId, String token, String user) {
		try {
			var result = run(sandboxId, user, ToolsVolume.BUSYBOX, "sh", "-c", KILL_TREE, "sh", token);
			if (result.exitCode() != 0) {
				log.warn("Exec {} in {}: processes kept reappearing while being killed", token, sandboxId);
			}
		}
		catch (RuntimeException e) {
			log.warn("Could not kill the processes of exec {} in {}: {}", token, sandboxId, e.getMessage());
		}
	}

	/** What a helper printed and how it ended. */
	record ToolResult(long exitCode, String stdout, String stderr) {
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
