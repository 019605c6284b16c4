package dev.airlock.runtime;

import java.util.function.Consumer;

/** The port for watching sandbox containers: usage, output and the engine's events. */
public interface ContainerMonitoring {

	/**
	 * One sample of the container's usage (no waiting for a second sample), network
	 * counters included: the engine's stats API.
	 */
	ContainerStats stats(String sandboxId);

	/**
	 * The container's CPU time, processes and memory, from the kernel's cgroup counters
	 * where this host can read them, else from {@link #stats}: cheap enough to read for
	 * every sandbox every second.
	 */
	ContainerUsage usage(String sandboxId);

	/**
	 * The main process's output (stdout and stderr interleaved), the last {@code tail}
	 * lines, at most {@code maxBytes}.
	 */
	String logs(String sandboxId, int tail, int maxBytes);

	/**
	 * The last {@code tail} lines of the main process's output, then its new output as it
	 * comes, until it ends, the sandbox ends or {@code output} throws (the client left).
	 */
	void followLogs(String sandboxId, int tail, int maxBytes, ExecOutput output);

	/**
	 * Follows the engine's events for sandbox containers, and losses of their agents,
	 * until the returned handle is closed, reconnecting by itself after the engine goes
	 * away and comes back.
	 */
	AutoCloseable watch(Consumer<ContainerEvent> listener);

}
