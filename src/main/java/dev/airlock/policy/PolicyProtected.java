package dev.airlock.policy;

import dev.airlock.core.AirlockException;
import dev.airlock.core.ErrorCode;

/** The {@code default} policy always exists: it can be changed, never deleted. */
class PolicyProtected extends AirlockException {

	PolicyProtected(String name) {
		super(ErrorCode.POLICY_PROTECTED,
				"The '" + name + "' policy always exists; it can be changed but not deleted.");
	}

}
