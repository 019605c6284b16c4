package dev.airlock.mcp;

import dev.airlock.core.AirlockException;
import dev.airlock.core.ErrorCode;

/** A file larger than {@code read_file} answers ({@code airlock.mcp.max-read-size}). */
class FileTooLargeToRead extends AirlockException {

	FileTooLargeToRead(String path, long limit) {
		super(ErrorCode.PAYLOAD_TOO_LARGE, "'" + path + "' is larger than read_file answers (" + limit
				+ " bytes). Read a part of it with run_command, e.g. [\"head\", \"-c\", \"10000\", \"" + path + "\"].");
	}

}
