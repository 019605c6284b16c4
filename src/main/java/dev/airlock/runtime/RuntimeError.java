package dev.airlock.runtime;

import dev.airlock.core.AirlockException;
import dev.airlock.core.ErrorCode;

/** The engine answered, but with an error that is nobody's input's fault. */
public class RuntimeError extends AirlockException {

	public RuntimeError(String detail, Throwable cause) {
		super(ErrorCode.RUNTIME_ERROR, detail, cause);
	}

}
