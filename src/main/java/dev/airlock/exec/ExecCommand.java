package dev.airlock.exec;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A command a client wants run in a sandbox.
 *
 * @param command argv; no shell unless the caller names one
 * @param stdin text for standard input, then end-of-file; {@code null} for none
 * @param env extra environment; values never stored or logged
 * @param workdir the working folder, or {@code null} for the sandbox's
 * @param timeoutSeconds at most the policy's {@code maxExecSeconds}, which is also the
 * default
 */
public record ExecCommand(List<String> command, @Nullable String stdin, Map<String, String> env,
		@Nullable String workdir, @Nullable Integer timeoutSeconds) {

	/** Never prints env values or stdin. */
	@Override
	public String toString() {
		return "ExecCommand[command=" + command + ", stdinChars=" + (stdin == null ? 0 : stdin.length()) + ", envKeys="
				+ env.keySet() + ", workdir=" + workdir + ", timeoutSeconds=" + timeoutSeconds + "]";
	}
}
