package dev.airlock.policy;

/** Which network a sandbox gets. */
public enum NetworkMode {

	/** Loopback only. */
	NONE,
	/**
	 * Loopback and Airlock's egress gateway, which lets through only what the policy's
	 * {@code egressAllowlist} names.
	 */
	EGRESS,
	/**
	 * Kept for existing policies: {@code EGRESS} with {@code egressAllowlist: ["*"]},
	 * every public destination.
	 */
	BRIDGE

}
