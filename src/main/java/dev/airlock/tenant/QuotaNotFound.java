package dev.airlock.tenant;

import dev.airlock.core.AirlockException;
import dev.airlock.core.ErrorCode;

/**
 * Another tenant's quota asked for by a key that may see only its own: 404, as for
 * another tenant's sandbox, so nothing about other tenants leaks.
 */
class QuotaNotFound extends AirlockException {

	QuotaNotFound(String tenant) {
		super(ErrorCode.NOT_FOUND, "No quota for tenant '" + tenant + "'.");
	}

}
