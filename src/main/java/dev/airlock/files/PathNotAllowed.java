package dev.airlock.files;

import dev.airlock.core.AirlockException;
import dev.airlock.core.ErrorCode;

/**
 * A path the rules refuse: not a sandbox path, or a write outside the writable folders.
 */
class PathNotAllowed extends AirlockException {

	PathNotAllowed(String detail) {
		super(ErrorCode.PATH_NOT_ALLOWED, detail);
	}

}
