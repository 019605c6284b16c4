package dev.airlock.sandbox;

import dev.airlock.core.AirlockException;
import dev.airlock.core.ErrorCode;

/**
 * No sandbox with that id is visible to the caller (another tenant's is "not found" too).
 */
public class SandboxNotFound extends AirlockException {

	public SandboxNotFound(String id) {
		super(ErrorCode.SANDBOX_NOT_FOUND, "No sandbox '" + id + "'.");
	}

}
