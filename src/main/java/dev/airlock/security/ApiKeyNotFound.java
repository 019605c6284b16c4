package dev.airlock.security;

import dev.airlock.core.AirlockException;
import dev.airlock.core.ErrorCode;

/** No API key with that id. */
class ApiKeyNotFound extends AirlockException {

	ApiKeyNotFound(String id) {
		super(ErrorCode.API_KEY_NOT_FOUND, "No API key '" + id + "'.");
	}

}
