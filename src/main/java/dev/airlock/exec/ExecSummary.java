package dev.airlock.exec;

import java.util.List;

/**
 * How a streamed command ended: the exec answer without its output, sent as the SSE
 * {@code exit} event. {@code egressDenied}: the {@code host:port} the sandbox was refused
 * while the command ran.
 */
public record ExecSummary(long exitCode, long durationMs, boolean timedOut, boolean stdoutTruncated,
		boolean stderrTruncated, List<String> egressDenied) {
}
