package dev.airlock.runtime;

import dev.airlock.core.AirlockException;
import dev.airlock.core.ErrorCode;

/**
 * The sandbox already serves as many calls at once as it may (execs, transfers, log
 * follows): try again when one has ended.
 */
public class SandboxBusy extends AirlockException {

	public SandboxBusy(String detail) {
		super(ErrorCode.RATE_LIMITED, detail);
	}

}
