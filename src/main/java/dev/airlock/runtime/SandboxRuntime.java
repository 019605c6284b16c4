package dev.airlock.runtime;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The port to the container engine. Implementations translate their own errors into this
 * package's exceptions.
 */
public interface SandboxRuntime {

	/**
	 * Creates and starts a container and waits until its main process runs. On any
	 * failure nothing of it is left behind (container and volumes removed).
	 * @throws RuntimeUnavailable when the engine cannot be reached
	 * @throws ImageNotFound when the image is not present and cannot be pulled
	 * @throws ContainerStartFailed when the engine refuses the container or its main
	 * process does not stay up
	 */
	StartedContainer start(ContainerSpec spec);

	/**
	 * Removes the sandbox's container and volumes, whatever state they are in; nothing
	 * there is fine.
	 */
	void remove(String sandboxId);

	/** The sandbox's container, if one exists. */
	Optional<ContainerState> inspect(String sandboxId);

	/** Every container that carries {@link ContainerLabels#MANAGED}. */
	List<ContainerState> managedContainers();

	/**
	 * Runs a command in the sandbox's container and blocks until it ends, streaming its
	 * output to {@code output}. On timeout, or when {@code output} throws, the command
	 * and every process it started are killed.
	 */
	ExecOutcome exec(String sandboxId, ExecSpec spec, ExecOutput output);

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

	/** One sample of the container's usage (no waiting for a second sample). */
	ContainerStats stats(String sandboxId);

	/**
	 * The main process's output (stdout and stderr interleaved), the last {@code tail}
	 * lines, at most {@code maxBytes}.
	 */
	String logs(String sandboxId, int tail, int maxBytes);

	/** Sandbox ids that still have volumes, with or without a container. */
	Set<String> volumeOwners();

	/**
	 * Follows the engine's events for sandbox containers until the returned handle is
	 * closed, reconnecting by itself after the engine goes away and comes back.
	 */
	AutoCloseable watch(Consumer<ContainerEvent> listener);

	/** Answers the engine's version, or throws {@link RuntimeUnavailable}. */
	String ping();

}
