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
	 * Follows the engine's events for sandbox containers until the returned handle is
	 * closed, reconnecting by itself after the engine goes away and comes back.
	 */
	AutoCloseable watch(Consumer<ContainerEvent> listener);

}
