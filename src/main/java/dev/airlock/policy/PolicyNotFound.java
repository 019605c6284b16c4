package dev.airlock.policy;

import dev.airlock.core.AirlockException;
import dev.airlock.core.ErrorCode;

/** No current policy has that name. */
public class PolicyNotFound extends AirlockException {

	PolicyNotFound(String name) {
		super(ErrorCode.POLICY_NOT_FOUND, "No policy named '" + name + "'.");
	}

}
