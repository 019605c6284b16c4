package dev.airlock.policy;

import dev.airlock.core.AirlockException;
import dev.airlock.core.ErrorCode;

/** The requested image matches none of the policy's {@code allowedImages}. */
public class ImageNotAllowed extends AirlockException {

	ImageNotAllowed(String image, PolicyView policy) {
		super(ErrorCode.IMAGE_NOT_ALLOWED, "Image '" + image + "' is not allowed by policy '" + policy.name()
				+ "' (allowed: " + String.join(", ", policy.allowedImages()) + ").");
	}

}
