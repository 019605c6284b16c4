package dev.airlock.pool;

import dev.airlock.core.AirlockException;
import dev.airlock.core.ErrorCode;

/** No pool has that name. */
class PoolNotFound extends AirlockException {

	PoolNotFound(String name) {
		super(ErrorCode.NOT_FOUND, "No pool named '" + name + "'.");
	}

}
