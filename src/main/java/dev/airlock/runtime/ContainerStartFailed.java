package dev.airlock.runtime;

import dev.airlock.core.AirlockException;
import dev.airlock.core.ErrorCode;

/** The engine refused the container, or its main process did not stay up. */
public class ContainerStartFailed extends AirlockException {

	public ContainerStartFailed(String detail) {
		super(ErrorCode.SANDBOX_START_FAILED, detail);
	}

}
