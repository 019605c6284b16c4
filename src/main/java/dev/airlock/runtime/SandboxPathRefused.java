package dev.airlock.runtime;

import dev.airlock.core.AirlockException;
import dev.airlock.core.ErrorCode;

/**
 * The path exists but is the wrong kind of thing for the request (a folder read as a
 * file, say).
 */
public class SandboxPathRefused extends AirlockException {

	public SandboxPathRefused(ErrorCode code, String detail) {
		super(code, detail);
	}

}
