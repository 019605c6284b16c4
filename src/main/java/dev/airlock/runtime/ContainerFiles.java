package dev.airlock.runtime;

import java.io.InputStream;
import java.util.List;

/** The port for moving files in and out of a sandbox's container. */
public interface ContainerFiles {

	/**
	 * Writes {@code size} bytes from {@code content} to {@code path}, creating missing
	 * parent folders below {@code root}; everything written is owned by {@code user}.
	 */
	void writeFile(String sandboxId, String root, String path, InputStream content, long size, String user);

	/**
	 * Opens a regular file for reading; symlinks are resolved inside the container's own
	 * filesystem.
	 */
	FileContent readFile(String sandboxId, String path);

	/** The entries of a folder, as {@code user} sees them. */
	List<FileEntry> listFolder(String sandboxId, String path, String user);

	/**
	 * Removes a file or a folder with everything in it, as {@code user}; symlinks
	 * themselves, never their targets.
	 */
	void delete(String sandboxId, String path, String user);

}
