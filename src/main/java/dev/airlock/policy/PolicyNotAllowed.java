package dev.airlock.policy;

import dev.airlock.core.AirlockException;
import dev.airlock.core.ErrorCode;

/** The policy is granted to other tenants only ({@code tenants}). */
public class PolicyNotAllowed extends AirlockException {

	PolicyNotAllowed(String tenant, String policy) {
		super(ErrorCode.POLICY_NOT_ALLOWED, "Policy '" + policy + "' is not granted to tenant '" + tenant
				+ "'; ask an admin or use another policy.");
	}

}
