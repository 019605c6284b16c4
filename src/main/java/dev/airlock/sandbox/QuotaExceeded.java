package dev.airlock.sandbox;

import java.util.Map;

import dev.airlock.core.AirlockException;
import dev.airlock.core.ErrorCode;

/**
 * The tenant already has as many live sandboxes as its quota, or as the policy, allows;
 * ending one frees a slot. The problem's {@code limit} names the cap that was hit.
 */
class QuotaExceeded extends AirlockException {

	static final int RETRY_AFTER_SECONDS = 10;

	private final String limit;

	private QuotaExceeded(String limit, String detail) {
		super(ErrorCode.QUOTA_EXCEEDED, detail);
		this.limit = limit;
	}

	/** The tenant's own {@code maxSandboxes}, over all policies. */
	static QuotaExceeded ofTenant(String tenant, int max) {
		return new QuotaExceeded("tenant.maxSandboxes", "Tenant '" + tenant + "' has " + max
				+ " live sandboxes, the maximum of its quota (maxSandboxes); end one and retry.");
	}

	/** The policy's {@code maxSandboxesPerTenant}. */
	static QuotaExceeded ofPolicy(String tenant, String policy, int max) {
		return new QuotaExceeded("policy.maxSandboxesPerTenant",
				"Tenant '" + tenant + "' has " + max + " live sandboxes under policy '" + policy
						+ "', its maximum (maxSandboxesPerTenant); end one and retry.");
	}

	@Override
	public Map<String, Object> properties() {
		return Map.of("limit", limit);
	}

	@Override
	public Map<String, String> headers() {
		return Map.of("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
	}

}
