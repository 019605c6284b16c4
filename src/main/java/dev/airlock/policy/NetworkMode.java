package dev.airlock.policy;

/** Which network a sandbox gets. */
public enum NetworkMode {

	/** Loopback only. */
	NONE,
	/** Docker's default bridge: outbound access to wherever the host can reach. */
	BRIDGE

}
