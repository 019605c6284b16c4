package dev.airlock.runtime;

/**
 * The labels on every container and volume Airlock creates; cleanup finds its own by
 * these and touches nothing else.
 */
public final class ContainerLabels {

	public static final String MANAGED = "airlock.managed";

	/**
	 * The deployment that made it: a deployment reconciles and cleans up only what
	 * carries its own id, so several can share one engine.
	 */
	public static final String DEPLOYMENT = "airlock.deployment";

	public static final String SANDBOX_ID = "airlock.sandbox-id";

	public static final String TENANT = "airlock.tenant";

	/**
	 * The warm pool a container was started for; it stays when the member is claimed and
	 * becomes a sandbox (labels cannot change).
	 */
	public static final String POOL = "airlock.pool";

	/** Present when the sandbox runs a command of its own beside the agent. */
	public static final String HAS_COMMAND = "airlock.has-command";

	private ContainerLabels() {
	}

}
