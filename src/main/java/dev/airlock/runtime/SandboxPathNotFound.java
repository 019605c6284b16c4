package dev.airlock.runtime;

import dev.airlock.core.AirlockException;
import dev.airlock.core.ErrorCode;

/** Nothing exists at that path inside the sandbox. */
public class SandboxPathNotFound extends AirlockException {

	public SandboxPathNotFound(String path) {
		super(ErrorCode.FILE_NOT_FOUND, "Nothing exists at '" + path + "' in the sandbox.");
	}

}
