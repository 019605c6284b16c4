package dev.airlock.files;

import dev.airlock.core.AirlockException;
import dev.airlock.core.ErrorCode;

/** The uploads in flight already hold as much of the host's spool as it may take. */
class SpoolFull extends AirlockException {

	SpoolFull() {
		super(ErrorCode.STORAGE_FULL, "The upload spool of this replica is full; retry later or send a smaller file.");
	}

}
