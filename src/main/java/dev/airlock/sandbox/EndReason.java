package dev.airlock.sandbox;

import dev.airlock.core.ErrorCode;

/**
 * Why a sandbox ended: its {@code endReason}. Clients, dashboards and alerts match on
 * these names, so a constant is never renamed.
 */
public enum EndReason {

	/** A client deleted it (TERMINATED). */
	DELETED,
	/**
	 * Its main process exited on its own (TERMINATED); the detail holds the exit code.
	 */
	MAIN_PROCESS_EXITED,
	/** Past its lease (EXPIRED). */
	TTL_EXPIRED,
	/** No exec or file call for the policy's idle timeout (EXPIRED). */
	IDLE_TIMEOUT,
	/** The kernel's OOM killer struck inside it (KILLED). */
	MEMORY_LIMIT,
	/** It reached its pids limit (KILLED). */
	PIDS_LIMIT,
	/** It used more CPU time than its budget (KILLED). */
	CPU_BUDGET,
	/** An exec matched a denied pattern under a policy that kills for it (KILLED). */
	DENIED_COMMAND,
	/** A halt covered its tenant (KILLED). */
	HALTED,
	/**
	 * Its in-sandbox agent died, went silent or broke its protocol: it can no longer be
	 * controlled (KILLED).
	 */
	AGENT_LOST,
	/** Its container was removed outside Airlock (LOST). */
	CONTAINER_MISSING,
	/**
	 * Its container died because the container engine stopped: a restart of an engine
	 * without live-restore (LOST).
	 */
	RUNTIME_RESTARTED,
	/** The service stopped while creating it (FAILED). */
	CREATE_INTERRUPTED,
	/** FAILED: the image is not there and cannot be pulled. */
	IMAGE_NOT_FOUND,
	/** FAILED: the engine refused the container or its main process did not stay up. */
	SANDBOX_START_FAILED,
	/** FAILED: the engine could not be reached. */
	RUNTIME_UNAVAILABLE,
	/** FAILED: the engine answered with an error. */
	RUNTIME_ERROR;

	/** The reason a create failed with {@code code}: the problem's code itself. */
	public static EndReason startFailure(ErrorCode code) {
		return switch (code) {
			case IMAGE_NOT_FOUND -> IMAGE_NOT_FOUND;
			case SANDBOX_START_FAILED -> SANDBOX_START_FAILED;
			case RUNTIME_UNAVAILABLE -> RUNTIME_UNAVAILABLE;
			default -> RUNTIME_ERROR;
		};
	}

}
