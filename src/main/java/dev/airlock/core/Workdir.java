package dev.airlock.core;

import org.jspecify.annotations.Nullable;

/**
 * The one rule for a client's working folder, at create and at exec: an absolute,
 * normalised path outside {@code /proc}, {@code /sys} and {@code /dev}. A workdir of
 * {@code /proc/self/fd/N} or {@code /proc/self/cwd} would start a process in whatever
 * folder a descriptor of the runtime points at (CVE-2024-21626), so it is refused here
 * and not left to the runtime's patch level; the in-sandbox agent also refuses magic
 * links when it opens the folder.
 */
public final class Workdir {

	public static final String FIELD = "workdir";

	private Workdir() {
	}

	/** Adds {@code workdir}'s problem, if it has one, to {@code errors}. */
	public static void check(@Nullable String workdir, ValidationFailed.Collector errors) {
		if (workdir == null) {
			return;
		}
		if (!SandboxPath.isNormal(workdir)) {
			errors.add(FIELD, "must be an absolute, normalised path");
		}
		else if (new SandboxPath(workdir).isKernelFilesystem()) {
			errors.add(FIELD, "must not be in /proc, /sys or /dev");
		}
	}

}
