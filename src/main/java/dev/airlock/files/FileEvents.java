package dev.airlock.files;

/** What happens to files in sandboxes: paths, sizes and hashes, never contents. */
public final class FileEvents {

	private FileEvents() {
	}

	public record FileWritten(String sandboxId, String tenant, String path, long size, String sha256, String actor) {
	}

	public record FileRead(String sandboxId, String tenant, String path, long size, String sha256, String actor) {
	}

	public record FileDeleted(String sandboxId, String tenant, String path, String actor) {
	}

}
