package dev.airlock.security;

import java.security.Principal;

/**
 * The authenticated caller of a request: which key, of which tenant, in which role.
 *
 * @param keyId the public id of the API key (never its secret)
 * @param tenant the tenant the key belongs to
 * @param role what the key may do
 */
public record Caller(String keyId, String tenant, Role role) implements Principal {

	/**
	 * ADMIN and OPERATOR act across tenants; everyone else sees their own tenant only.
	 */
	public boolean seesAllTenants() {
		return role == Role.ADMIN || role == Role.OPERATOR;
	}

	/** Whether this caller may see a resource that belongs to {@code resourceTenant}. */
	public boolean canSee(String resourceTenant) {
		return seesAllTenants() || tenant.equals(resourceTenant);
	}

	/** How the audit log names this caller. */
	public String actor() {
		return "key:" + keyId;
	}

	@Override
	public String getName() {
		return keyId;
	}
}
