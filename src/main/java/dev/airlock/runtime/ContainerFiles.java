package dev.airlock.runtime;

import java.io.InputStream;
import java.util.List;

/**
 * The port for moving files in and out of a sandbox. Everything happens as the sandbox
 * user, inside the sandbox: the kernel enforces its permissions, its read-only root and
 * its limits.
 */
public interface ContainerFiles {

	/**
	 * Writes {@code size} bytes from {@code content} to {@code path}, creating missing
	 * parent folders below {@code root}; nothing is written outside {@code root}, even
	 * through symlinks. The file appears whole or not at all.
	 */
	void writeFile(String sandboxId, String root, String path, InputStream content, long size);

	/**
	 * Opens a regular file for reading; symlinks are resolved inside the sandbox.
	 */
	FileContent readFile(String sandboxId, String path);

	/** The entries of a folder; symlinks are listed as such, not followed. */
	List<FileEntry> listFolder(String sandboxId, String path);

	/**
	 * Removes a file or a folder with everything in it, below {@code root}; symlinks
	 * themselves, never their targets.
	 */
	void delete(String sandboxId, String root, String path);

}
