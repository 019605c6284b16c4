package dev.airlock.runtime;

import dev.airlock.core.AirlockException;
import dev.airlock.core.ErrorCode;

/** The container engine cannot be reached. */
public class RuntimeUnavailable extends AirlockException {

	public RuntimeUnavailable(String detail, Throwable cause) {
		super(ErrorCode.RUNTIME_UNAVAILABLE, detail, cause);
	}

}
