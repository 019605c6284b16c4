package dev.airlock.core;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A path inside a sandbox, in its one normal form: absolute, no {@code ..}, no NUL, no
 * {@code .}, no empty segment, no trailing slash, at most {@value #MAX_LENGTH}
 * characters, no name longer than {@value #MAX_NAME_BYTES} bytes. Every module that takes
 * a path from a client or a policy goes through this type.
 */
public record SandboxPath(String value) {

	/** The longest path accepted (Linux's PATH_MAX). */
	public static final int MAX_LENGTH = 4096;

	/** The longest name of one folder or file, in UTF-8 bytes (Linux's NAME_MAX). */
	public static final int MAX_NAME_BYTES = 255;

	/**
	 * Where the kernel's own filesystems are mounted in every sandbox: their entries are
	 * views of processes and devices, not files (a {@code /proc/self/fd/N} leads wherever
	 * that descriptor does).
	 */
	public static final List<SandboxPath> KERNEL_FOLDERS = List.of(new SandboxPath("/proc"), new SandboxPath("/sys"),
			new SandboxPath("/dev"));

	public SandboxPath {
		if (!isNormal(value)) {
			throw new Invalid("'" + value + "' is not an absolute, normalised path.");
		}
	}

	/**
	 * A client's path in normal form: {@code //}, {@code .} and a trailing slash fold
	 * away.
	 * @throws Invalid when it is empty, too long, relative, holds a NUL byte or a
	 * {@code ..} segment
	 */
	public static SandboxPath parse(String raw) {
		if (raw == null || raw.isEmpty()) {
			throw new Invalid("A path is required.");
		}
		if (raw.length() > MAX_LENGTH) {
			throw new Invalid("The path is longer than " + MAX_LENGTH + " characters.");
		}
		if (raw.indexOf('\0') >= 0) {
			throw new Invalid("The path contains a NUL byte.");
		}
		if (!raw.startsWith("/")) {
			throw new Invalid("The path must be absolute: '" + raw + "'.");
		}
		var segments = new ArrayList<String>();
		for (var segment : raw.split("/")) {
			if (segment.equals("..")) {
				throw new Invalid("The path must not contain '..' segments: '" + raw + "'.");
			}
			if (tooLong(segment)) {
				throw new Invalid("A name in the path is longer than " + MAX_NAME_BYTES + " bytes.");
			}
			if (!segment.isEmpty() && !segment.equals(".")) {
				segments.add(segment);
			}
		}
		return new SandboxPath("/" + String.join("/", segments));
	}

	/** Whether {@code raw} is a path already in normal form. */
	public static boolean isNormal(String raw) {
		if (raw == null || raw.isEmpty() || raw.length() > MAX_LENGTH || raw.indexOf('\0') >= 0
				|| !raw.startsWith("/")) {
			return false;
		}
		if (raw.equals("/")) {
			return true;
		}
		for (var segment : raw.substring(1).split("/", -1)) {
			if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || tooLong(segment)) {
				return false;
			}
		}
		return true;
	}

	private static boolean tooLong(String name) {
		// a char is at most three bytes in UTF-8: most names need no encoding to tell
		return name.length() * 3 > MAX_NAME_BYTES && name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES;
	}

	/** Whether this is the root folder. */
	public boolean isRoot() {
		return value.equals("/");
	}

	/** Whether this is one of {@link #KERNEL_FOLDERS} or lies below one. */
	public boolean isKernelFilesystem() {
		return KERNEL_FOLDERS.stream().anyMatch(folder -> equals(folder) || isBelow(folder));
	}

	/** Whether this path lies strictly below {@code folder}. */
	public boolean isBelow(SandboxPath folder) {
		return value.startsWith(folder.isRoot() ? "/" : folder.value + "/") && !value.equals(folder.value);
	}

	/** Whether this path is {@code other}, or one lies below the other. */
	public boolean overlaps(SandboxPath other) {
		return value.equals(other.value) || isBelow(other) || other.isBelow(this);
	}

	/** The first of {@code folders} this path lies strictly below. */
	public Optional<SandboxPath> firstFolderHolding(List<SandboxPath> folders) {
		return folders.stream().filter(this::isBelow).findFirst();
	}

	@Override
	public String toString() {
		return value;
	}

	/** A string that is not a sandbox path; the message says why. */
	public static final class Invalid extends IllegalArgumentException {

		Invalid(String message) {
			super(message);
		}

	}

}
