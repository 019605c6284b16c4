package dev.airlock.runtime;

import dev.airlock.core.AirlockException;
import dev.airlock.core.ErrorCode;

/** The sandbox's container is not running (gone, or its main process ended). */
public class ContainerNotRunning extends AirlockException {

	public ContainerNotRunning(String sandboxId) {
		super(ErrorCode.SANDBOX_NOT_RUNNING, "The container of sandbox '" + sandboxId + "' is not running.");
	}

}
