package dev.airlock.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.DigestOutputStream;
import java.util.List;

import dev.airlock.core.Sha256;
import dev.airlock.files.FileEvents.FileDeleted;
import dev.airlock.files.FileEvents.FileRead;
import dev.airlock.files.FileEvents.FileWritten;
import dev.airlock.runtime.FileEntry;
import dev.airlock.runtime.SandboxRuntime;
import dev.airlock.sandbox.SandboxService;
import dev.airlock.security.Caller;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * Upload, download, list and delete inside RUNNING sandboxes. Uploads are spooled to a
 * temporary file while they are counted and hashed (never held in memory), refused the
 * moment they pass the policy's cap, and handed to the container only when complete, so a
 * broken upload leaves no half-written file behind.
 */
@Service
public class FileService {

	private final SandboxService sandboxes;

	private final SandboxRuntime runtime;

	private final ApplicationEventPublisher events;

	private final MeterRegistry meters;

	FileService(SandboxService sandboxes, SandboxRuntime runtime, ApplicationEventPublisher events,
			MeterRegistry meters) {
		this.sandboxes = sandboxes;
		this.runtime = runtime;
		this.events = events;
		this.meters = meters;
	}

	/** Where a download goes once its size is known. */
	public interface Target {

		OutputStream open(long size) throws IOException;

	}

	public StoredFile write(String sandboxId, String rawPath, long declaredLength, InputStream body, Caller caller) {
		var path = SandboxPaths.normalise(rawPath);
		var sandbox = sandboxes.beginActivity(sandboxId, caller);
		var policy = sandbox.policy();
		var root = SandboxPaths.writableRoot(path, policy.writablePaths());
		var cap = policy.maxUploadBytes();
		if (declaredLength > cap) {
			throw new UploadTooLarge(cap);
		}
		try {
			var spool = Files.createTempFile("airlock-upload-", ".part");
			try {
				var digest = Sha256.digest();
				long size;
				try (var out = new DigestOutputStream(Files.newOutputStream(spool), digest)) {
					size = copyCapped(body, out, cap);
				}
				try (var content = Files.newInputStream(spool)) {
					runtime.writeFile(sandboxId, root, path, content, size, policy.runAsUser());
				}
				var stored = new StoredFile(path, size, Sha256.hex(digest.digest()));
				meters.counter("airlock.files.bytes", "direction", "upload").increment(size);
				sandboxes.recordActivity(sandboxId);
				events.publishEvent(
						new FileWritten(sandboxId, sandbox.tenant(), path, size, stored.sha256(), caller.actor()));
				return stored;
			}
			finally {
				Files.deleteIfExists(spool);
			}
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** Streams the file to {@code target}; the file's bytes are never all in memory. */
	public StoredFile read(String sandboxId, String rawPath, Caller caller, Target target) throws IOException {
		var path = SandboxPaths.normalise(rawPath);
		var sandbox = sandboxes.beginActivity(sandboxId, caller);
		try (var content = runtime.readFile(sandboxId, path)) {
			var digest = Sha256.digest();
			long size;
			try (var out = new DigestOutputStream(target.open(content.size()), digest)) {
				size = content.stream().transferTo(out);
			}
			var read = new StoredFile(path, size, Sha256.hex(digest.digest()));
			meters.counter("airlock.files.bytes", "direction", "download").increment(size);
			sandboxes.recordActivity(sandboxId);
			events.publishEvent(new FileRead(sandboxId, sandbox.tenant(), path, size, read.sha256(), caller.actor()));
			return read;
		}
	}

	public List<FileEntry> list(String sandboxId, String rawPath, Caller caller) {
		var path = SandboxPaths.normalise(rawPath);
		var sandbox = sandboxes.beginActivity(sandboxId, caller);
		return runtime.listFolder(sandboxId, path, sandbox.policy().runAsUser());
	}

	public void delete(String sandboxId, String rawPath, Caller caller) {
		var path = SandboxPaths.normalise(rawPath);
		var sandbox = sandboxes.beginActivity(sandboxId, caller);
		var policy = sandbox.policy();
		SandboxPaths.writableRoot(path, policy.writablePaths());
		runtime.delete(sandboxId, path, policy.runAsUser());
		events.publishEvent(new FileDeleted(sandboxId, sandbox.tenant(), path, caller.actor()));
	}

	private static long copyCapped(InputStream in, OutputStream out, long cap) throws IOException {
		var buffer = new byte[64 * 1024];
		long total = 0;
		int n;
		while ((n = in.read(buffer)) >= 0) {
			total += n;
			if (total > cap) {
				throw new UploadTooLarge(cap);
			}
			out.write(buffer, 0, n);
		}
		return total;
	}

}
