package dev.airlock.runtime;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What the runtime says about one sandbox container.
 *
 * @param containerId the runtime's id
 * @param labels its labels
 * @param running whether its main process runs
 * @param exitCode the main process's exit code once it has ended
 * @param oomKilled whether the kernel killed it for memory
 * @param agentLost whether it ended because its agent died, not because the main command
 * exited
 */
public record ContainerState(String containerId, Map<String, String> labels, boolean running, @Nullable Long exitCode,
		boolean oomKilled, boolean agentLost) {

	public @Nullable String sandboxId() {
		return labels.get(ContainerLabels.SANDBOX_ID);
	}
}
