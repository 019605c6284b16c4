package dev.airlock.files;

import dev.airlock.core.AirlockException;
import dev.airlock.core.ErrorCode;

/** An upload over the policy's {@code maxUploadBytes}. */
class UploadTooLarge extends AirlockException {

	UploadTooLarge(long cap) {
		super(ErrorCode.PAYLOAD_TOO_LARGE, "The upload exceeds this sandbox's limit of " + cap + " bytes.");
	}

}
