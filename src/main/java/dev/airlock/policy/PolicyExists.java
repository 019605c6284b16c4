package dev.airlock.policy;

import dev.airlock.core.AirlockException;
import dev.airlock.core.ErrorCode;

/** A policy with that name exists already; change it with PUT. */
class PolicyExists extends AirlockException {

	PolicyExists(String name) {
		super(ErrorCode.POLICY_EXISTS, "A policy named '" + name + "' exists already; use PUT to change it.");
	}

}
