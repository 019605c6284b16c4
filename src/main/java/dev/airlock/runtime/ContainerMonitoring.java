package dev.airlock.runtime;

import java.util.function.Consumer;

/** The port for watching sandbox containers: usage, output and the engine's events. */
public interface ContainerMonitoring {

	/** One sample of the container's usage (no waiting for a second sample). */
	ContainerStats stats(String sandboxId);

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
