package dev.airlock.runtime;

/**
 * One sample of a sandbox container's usage.
 *
 * @param cpuNanos CPU time used since the container started
 * @param memoryBytes memory in use
 * @param memoryLimitBytes the memory limit
 * @param pids processes and threads now
 * @param pidsLimit the most allowed
 * @param networkRxBytes bytes received, all interfaces
 * @param networkTxBytes bytes sent, all interfaces
 * @param pidsLimitHits forks refused at the pids limit so far, or -1 where the kernel's
 * counter cannot be read
 * @param sampledAtNanos when, on {@link System#nanoTime()}'s scale
 */
public record ContainerStats(long cpuNanos, long memoryBytes, long memoryLimitBytes, long pids, long pidsLimit,
		long networkRxBytes, long networkTxBytes, long pidsLimitHits, long sampledAtNanos) {
}
