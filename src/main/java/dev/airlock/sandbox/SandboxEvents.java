package dev.airlock.sandbox;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What happens to sandboxes, published after each change commits; the audit log and
 * metrics listen.
 */
public final class SandboxEvents {

	private SandboxEvents() {
	}

	/** A sandbox is RUNNING. */
	public record SandboxCreated(String sandboxId, String tenant, String image, String policy, int policyVersion,
			String source, String actor) {
	}

	/** A sandbox could not start and is FAILED. */
	public record SandboxStartFailed(String sandboxId, String tenant, EndReason reason, @Nullable String detail,
			String actor) {
	}

	/**
	 * A sandbox ended and its container is gone: TERMINATED (deleted, or its main process
	 * exited), EXPIRED, KILLED or LOST, with the reason (an {@link EndReason}'s name).
	 */
	public record SandboxEnded(String sandboxId, String tenant, SandboxStatus status, String reason,
			@Nullable String detail, String actor) {
	}

	/** A sandbox's lease was moved. */
	public record SandboxExtended(String sandboxId, String tenant, Instant expiresAt, String actor) {
	}

}
