package dev.airlock.files;

import dev.airlock.core.AirlockException;
import dev.airlock.core.ErrorCode;

/** The client stopped sending before the upload's body was complete. */
class UploadIncomplete extends AirlockException {

	UploadIncomplete(Throwable cause) {
		super(ErrorCode.MALFORMED_REQUEST, "The upload ended before its body was complete.", cause);
	}

}
