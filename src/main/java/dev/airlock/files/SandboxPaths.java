package dev.airlock.files;

import java.util.ArrayList;
import java.util.List;

import dev.airlock.core.AirlockException;
import dev.airlock.core.ErrorCode;

/**
 * The path rules, checked before any Docker call: absolute, no {@code ..}, no NUL, writes
 * only under writable roots.
 */
final class SandboxPaths {

	static final int MAX_LENGTH = 4096;

	private SandboxPaths() {
	}

	/**
	 * The path in its one normal form ({@code //}, {@code .} and a trailing slash folded
	 * away), or a refusal.
	 */
	static String normalise(String path) {
		if (path == null || path.isEmpty()) {
			throw new PathNotAllowed("A path is required.");
		}
		if (path.length() > MAX_LENGTH) {
			throw new PathNotAllowed("The path is longer than " + MAX_LENGTH + " characters.");
		}
		if (path.indexOf('\0') >= 0) {
			throw new PathNotAllowed("The path contains a NUL byte.");
		}
		if (!path.startsWith("/")) {
			throw new PathNotAllowed("The path must be absolute: '" + path + "'.");
		}
		var segments = new ArrayList<String>();
		for (var segment : path.split("/")) {
			if (segment.equals("..")) {
				throw new PathNotAllowed("The path must not contain '..' segments: '" + path + "'.");
			}
			if (!segment.isEmpty() && !segment.equals(".")) {
				segments.add(segment);
			}
		}
		return "/" + String.join("/", segments);
	}

	/**
	 * The writable root that holds {@code path} strictly below it, or a refusal: writes
	 * go nowhere else.
	 */
	static String writableRoot(String path, List<String> writablePaths) {
		for (var root : writablePaths) {
			if (path.startsWith(root + "/")) {
				return root;
			}
		}
		throw new PathNotAllowed("'" + path + "' is not inside a writable folder of this sandbox's policy ("
				+ String.join(", ", writablePaths) + ").");
	}

	/** A path the rules refuse. */
	static final class PathNotAllowed extends AirlockException {

		PathNotAllowed(String detail) {
			super(ErrorCode.PATH_NOT_ALLOWED, detail);
		}

	}

}
