package dev.airlock.runtime;

import org.jspecify.annotations.Nullable;

/**
 * Something the engine reports about a sandbox container.
 *
 * @param sandboxId whose container
 * @param type what happened
 * @param exitCode the main process's exit code, for {@link Type#DIED} and
 * {@link Type#ENGINE_STOPPED}
 * @param detail what happened, in words, where there is more to say
 */
public record ContainerEvent(String sandboxId, Type type, @Nullable Long exitCode, @Nullable String detail) {

	public ContainerEvent(String sandboxId, Type type, @Nullable Long exitCode) {
		this(sandboxId, type, exitCode, null);
	}

	public enum Type {

		/**
		 * The main process ended (on its own, killed, or because the container is being
		 * removed).
		 */
		DIED,
		/**
		 * The main process ended because the engine itself is stopping: without
		 * live-restore an engine stops every container on its way down.
		 */
		ENGINE_STOPPED,
		/** The kernel's OOM killer killed a process in the container. */
		OOM,
		/** The container was removed. */
		DESTROYED,
		/**
		 * The sandbox's agent is gone or cannot be trusted (silent, or breaking its
		 * protocol): the sandbox can no longer be controlled.
		 */
		AGENT_LOST

	}
}
