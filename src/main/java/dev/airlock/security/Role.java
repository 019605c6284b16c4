package dev.airlock.security;

/** What a key may do; see the contract's Auth section. */
public enum Role {

	/** Everything, all tenants. */
	ADMIN,
	/** Policies, audit and sandboxes of all tenants; keys read-only. */
	OPERATOR,
	/** Its own tenant's sandboxes only. */
	AGENT,
	/** Metrics scrape only. */
	METRICS;

	public String authority() {
		return "ROLE_" + name();
	}

}
