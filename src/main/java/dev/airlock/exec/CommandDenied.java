package dev.airlock.exec;

import dev.airlock.core.AirlockException;
import dev.airlock.core.ErrorCode;

/**
 * The command matches one of the policy's {@code deniedCommandPatterns}; it never ran.
 */
class CommandDenied extends AirlockException {

	CommandDenied(String pattern, boolean sandboxKilled) {
		super(ErrorCode.POLICY_VIOLATION, "The command matches the denied pattern '" + pattern + "'"
				+ (sandboxKilled ? "; the policy kills the sandbox for it." : "; it was not run."));
	}

}
