package dev.airlock.exec;

import java.util.List;

/**
 * How a command ended, with its (capped) output: the contract's exec answer.
 * {@code egressDenied}: the {@code host:port} the sandbox was refused while the command
 * ran.
 */
public record ExecResult(long exitCode, String stdout, String stderr, long durationMs, boolean timedOut,
		boolean stdoutTruncated, boolean stderrTruncated, List<String> egressDenied) {
}
