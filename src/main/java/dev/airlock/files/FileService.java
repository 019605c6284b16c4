package dev.airlock.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestOutputStream;
import java.util.List;

import dev.airlock.core.SandboxPath;
import dev.airlock.core.Sha256;
import dev.airlock.files.FileEvents.FileDeleted;
import dev.airlock.files.FileEvents.FileRead;
import dev.airlock.files.FileEvents.FileWritten;
import dev.airlock.runtime.ContainerFiles;
import dev.airlock.runtime.FileEntry;
import dev.airlock.sandbox.SandboxActivity;
import dev.airlock.security.Caller;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * Upload, download, list and delete inside RUNNING sandboxes. Uploads take a place in
 * their tenant's {@code maxConcurrentUploads}, are spooled to a file of the host's
 * {@link UploadSpool} while they are counted and hashed (never held in memory), refused
 * the moment they pass the policy's cap or the spool's, and handed to the container only
 * when complete, so a broken upload leaves no half-written file behind.
 */
@Service
public class FileService {

	private final SandboxActivity activity;

	private final ContainerFiles files;

	private final ApplicationEventPublisher events;

	private final MeterRegistry meters;

	private final UploadSlots slots;

	private final UploadSpool spool;

	FileService(SandboxActivity activity, ContainerFiles files, ApplicationEventPublisher events, MeterRegistry meters,
			UploadSlots slots, UploadSpool spool) {
		this.activity = activity;
		this.files = files;
		this.events = events;
		this.meters = meters;
		this.slots = slots;
		this.spool = spool;
	}

	/** Where a download goes once its size is known. */
	public interface Target {

		OutputStream open(long size) throws IOException;

	}

	public StoredFile write(String sandboxId, String rawPath, long declaredLength, InputStream body, Caller caller) {
		var path = path(rawPath);
		var sandbox = activity.begin(sandboxId, caller);
		var policy = sandbox.policy();
		var root = writableRoot(path, policy.writablePaths());
		var cap = policy.maxUploadBytes();
		if (declaredLength > cap) {
			throw new UploadTooLarge(cap);
		}
		try (var slot = slots.acquire(sandbox.tenant()); var spooled = spool.open(declaredLength)) {
			var digest = Sha256.digest();
			long size;
			try (var out = new DigestOutputStream(spooled.output(), digest)) {
				size = copyCapped(body, out, cap);
			}
			try (var content = spooled.input()) {
				files.writeFile(sandboxId, root, path, content, size);
			}
			var stored = new StoredFile(path, size, Sha256.hex(digest.digest()));
			meters.counter("airlock.files.bytes", "direction", "upload").increment(size);
			activity.heartbeat(sandboxId);
			events.publishEvent(
					new FileWritten(sandboxId, sandbox.tenant(), path, size, stored.sha256(), caller.actor()));
			return stored;
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/**
	 * Streams the file to {@code target}; the file's bytes are never all in memory. The
	 * read is audited however it ends: with the bytes sent and whether that was all.
	 */
	public StoredFile read(String sandboxId, String rawPath, Caller caller, Target target) throws IOException {
		var path = path(rawPath);
		var sandbox = activity.begin(sandboxId, caller);
		try (var content = files.readFile(sandboxId, path)) {
			var sent = new SentBytes();
			String sha256 = null;
			try {
				try (var out = sent.to(target.open(content.size()))) {
					content.stream().transferTo(out);
				}
				sha256 = sent.sha256();
			}
			finally {
				meters.counter("airlock.files.bytes", "direction", "download").increment(sent.count());
				events.publishEvent(new FileRead(sandboxId, sandbox.tenant(), path, content.size(), sent.count(),
						sha256 != null, sha256, caller.actor()));
			}
			activity.heartbeat(sandboxId);
			return new StoredFile(path, sent.count(), sha256);
		}
	}

	public List<FileEntry> list(String sandboxId, String rawPath, Caller caller) {
		var path = path(rawPath);
		var sandbox = activity.begin(sandboxId, caller);
		return files.listFolder(sandboxId, path);
	}

	public void delete(String sandboxId, String rawPath, Caller caller) {
		var path = path(rawPath);
		var sandbox = activity.begin(sandboxId, caller);
		var policy = sandbox.policy();
		var root = writableRoot(path, policy.writablePaths());
		files.delete(sandboxId, root, path);
		events.publishEvent(new FileDeleted(sandboxId, sandbox.tenant(), path, caller.actor()));
	}

	/** The client's path in normal form, or a refusal, before any call to the engine. */
	private static String path(String raw) {
		try {
			return SandboxPath.parse(raw).value();
		}
		catch (SandboxPath.Invalid e) {
			throw new PathNotAllowed(e.getMessage());
		}
	}

	/**
	 * The writable folder that holds {@code path} strictly below it: writes go nowhere
	 * else.
	 */
	private static String writableRoot(String path, List<String> writablePaths) {
		var target = new SandboxPath(path);
		return target.firstFolderHolding(writablePaths.stream().map(SandboxPath::new).toList())
			.map(SandboxPath::value)
			.orElseThrow(
					() -> new PathNotAllowed("'" + path + "' is not inside a writable folder of this sandbox's policy ("
							+ String.join(", ", writablePaths) + ")."));
	}

	private static long copyCapped(InputStream in, OutputStream out, long cap) throws IOException {
		var buffer = new byte[64 * 1024];
		long total = 0;
		int n;
		while ((n = read(in, buffer)) >= 0) {
			total += n;
			if (total > cap) {
				throw new UploadTooLarge(cap);
			}
			out.write(buffer, 0, n);
		}
		return total;
	}

	/**
	 * A failed read of the body is the client's doing (it went away or stalled past the
	 * server's timeout): a 400, not an error of Airlock's.
	 */
	private static int read(InputStream body, byte[] buffer) {
		try {
			return body.read(buffer);
		}
		catch (IOException e) {
			throw new UploadIncomplete(e);
		}
	}

}
