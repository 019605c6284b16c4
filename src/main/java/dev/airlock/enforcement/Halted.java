package dev.airlock.enforcement;

import dev.airlock.core.AirlockException;
import dev.airlock.core.ErrorCode;

/** Creates are refused: a halt is active for the tenant, or for everyone. */
class Halted extends AirlockException {

	Halted(Halt halt) {
		super(ErrorCode.HALTED,
				(halt.tenant() == null ? "All sandboxes are halted" : "Tenant '" + halt.tenant() + "' is halted")
						+ " since " + halt.createdAt() + ": " + halt.reason());
	}

}
