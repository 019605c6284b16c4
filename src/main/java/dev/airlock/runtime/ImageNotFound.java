package dev.airlock.runtime;

import dev.airlock.core.AirlockException;
import dev.airlock.core.ErrorCode;

/** The image is not on the host and could not be pulled. */
public class ImageNotFound extends AirlockException {

	public ImageNotFound(String image, String why) {
		super(ErrorCode.IMAGE_NOT_FOUND, "Image '" + image + "' is not available: " + why);
	}

}
