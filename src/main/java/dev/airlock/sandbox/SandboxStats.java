package dev.airlock.sandbox;

/** A sandbox's live usage, as the contract's {@code /stats} answers it. */
public record SandboxStats(double cpuPercent, long memoryBytes, long memoryLimitBytes, long pids, long networkRxBytes,
		long networkTxBytes) {
}
