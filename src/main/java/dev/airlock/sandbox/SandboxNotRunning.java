package dev.airlock.sandbox;

import dev.airlock.core.AirlockException;
import dev.airlock.core.ErrorCode;

/** The sandbox is not RUNNING, so it cannot do what was asked. */
public class SandboxNotRunning extends AirlockException {

	public SandboxNotRunning(String id, SandboxStatus status) {
		super(ErrorCode.SANDBOX_NOT_RUNNING, "Sandbox '" + id + "' is " + status + ", not RUNNING.");
	}

}
