package dev.airlock.runtime;

/**
 * What the watchdog needs of a sandbox container's usage, read as cheaply as the host
 * allows (no network counters: see {@link ContainerStats} for those).
 *
 * @param cpuNanos CPU time used since the container started
 * @param pids processes and threads now
 * @param pidsLimit the most allowed, or -1 for no limit
 * @param pidsLimitHits forks refused at the pids limit so far, or -1 where the kernel's
 * counter cannot be read
 * @param memoryBytes memory in use
 * @param memoryLimitBytes the memory limit, or -1 for none
 * @param source where the numbers came from
 */
public record ContainerUsage(long cpuNanos, long pids, long pidsLimit, long pidsLimitHits, long memoryBytes,
		long memoryLimitBytes, Source source) {

	/** Where a reading came from. */
	public enum Source {

		/** The kernel's cgroup files on the engine's host: a few file reads. */
		CGROUP,

		/** The engine's stats API: a round trip, and far more of the engine's time. */
		STATS_API

	}

	/** The usage in a stats API sample. */
	public static ContainerUsage of(ContainerStats stats) {
		return new ContainerUsage(stats.cpuNanos(), stats.pids(), stats.pidsLimit(), stats.pidsLimitHits(),
				stats.memoryBytes(), stats.memoryLimitBytes(), Source.STATS_API);
	}

}
