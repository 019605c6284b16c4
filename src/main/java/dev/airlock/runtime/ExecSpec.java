package dev.airlock.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One command to run inside a sandbox, as the sandbox's user (the agent's own).
 *
 * @param command argv, run without a shell
 * @param env extra environment; values are secrets and never logged
 * @param workdir the working folder, or {@code null} for the sandbox's
 * @param stdin bytes for standard input, followed by end-of-file; {@code null} for none
 * @param timeout after this the command and everything it started are killed
 */
public record ExecSpec(List<String> command, Map<String, String> env, @Nullable String workdir, byte @Nullable [] stdin,
		Duration timeout) {

	/** Never prints env values or stdin. */
	@Override
	public String toString() {
		return "ExecSpec[command=" + command + ", envKeys=" + env.keySet() + ", workdir=" + workdir + ", stdinBytes="
				+ (stdin == null ? 0 : stdin.length) + ", timeout=" + timeout + "]";
	}
}
