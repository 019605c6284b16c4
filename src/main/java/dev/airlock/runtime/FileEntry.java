package dev.airlock.runtime;

import java.time.Instant;

/** One entry of a folder inside a sandbox. */
public record FileEntry(String name, String path, Type type, long size, Instant modifiedAt) {

	/** What kind of entry it is; symlinks are reported as such, never followed. */
	public enum Type {

		FILE, DIRECTORY, SYMLINK, OTHER

	}
}
