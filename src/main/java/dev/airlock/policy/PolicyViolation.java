package dev.airlock.policy;

import dev.airlock.core.AirlockException;
import dev.airlock.core.ErrorCode;

/** A request asks for more than its policy allows. */
public class PolicyViolation extends AirlockException {

	PolicyViolation(String reason) {
		super(ErrorCode.POLICY_VIOLATION, reason);
	}

}
