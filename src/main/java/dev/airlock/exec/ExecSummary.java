package dev.airlock.exec;

/**
 * How a streamed command ended: the exec answer without its output, sent as the SSE
 * {@code exit} event.
 */
public record ExecSummary(long exitCode, long durationMs, boolean timedOut, boolean stdoutTruncated,
		boolean stderrTruncated) {
}
