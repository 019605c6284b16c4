package dev.airlock.exec;

/** How a command ended, with its (capped) output: the contract's exec answer. */
public record ExecResult(long exitCode, String stdout, String stderr, long durationMs, boolean timedOut,
		boolean stdoutTruncated, boolean stderrTruncated) {
}
