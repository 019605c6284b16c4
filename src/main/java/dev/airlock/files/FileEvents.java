package dev.airlock.files;

import org.jspecify.annotations.Nullable;

/** What happens to files in sandboxes: paths, sizes and hashes, never contents. */
public final class FileEvents {

	private FileEvents() {
	}

	public record FileWritten(String sandboxId, String tenant, String path, long size, String sha256, String actor) {
	}

	/**
	 * A file was read, or a read stopped part-way ({@code complete} false: the client
	 * went away or the transfer broke); {@code bytes} were sent, {@code sha256} is theirs
	 * when they were the whole file.
	 */
	public record FileRead(String sandboxId, String tenant, String path, long size, long bytes, boolean complete,
			@Nullable String sha256, String actor) {
	}

	public record FileDeleted(String sandboxId, String tenant, String path, String actor) {
	}

}
