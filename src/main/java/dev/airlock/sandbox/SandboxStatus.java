package dev.airlock.sandbox;

/** Where a sandbox is in its life; the last five are terminal and never change again. */
public enum SandboxStatus {

	CREATING, RUNNING, STOPPING,
	/** Deleted by a client, or its main process exited on its own. */
	TERMINATED,
	/** Its TTL or idle timeout ran out. */
	EXPIRED,
	/** A policy was broken; {@code endReason} says which. */
	KILLED,
	/** It could not start. */
	FAILED,
	/** Its container vanished outside Airlock. */
	LOST;

	public boolean isTerminal() {
		return ordinal() >= TERMINATED.ordinal();
	}

}
