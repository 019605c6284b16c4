package dev.airlock.files;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The host folder where uploads wait until they are complete, with one budget of bytes
 * for all of them: each upload takes its bytes from it as they arrive and gives them back
 * when it ends, however it ends; its file is always removed.
 */
@Component
class UploadSpool {

	private static final Logger log = LoggerFactory.getLogger(UploadSpool.class);

	private final Path directory;

	private final long maxBytes;

	private final AtomicLong reserved = new AtomicLong();

	UploadSpool(FileSettings settings) throws IOException {
		this.directory = settings.spoolDirectory() != null ? settings.spoolDirectory()
				: Path.of(System.getProperty("java.io.tmpdir"), "airlock-uploads");
		this.maxBytes = settings.spoolMaxBytes();
		if (!Files.isDirectory(directory)) {
			if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
				Files.createDirectories(directory,
						PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
			}
			else {
				Files.createDirectories(directory);
			}
		}
	}

	/**
	 * A new spool file; refused at once when {@code declaredLength} could never fit.
	 * Close it on every path.
	 */
	SpoolFile open(long declaredLength) throws IOException {
		if (declaredLength > maxBytes) {
			throw new SpoolFull();
		}
		return new SpoolFile(Files.createTempFile(directory, "upload-", ".part"));
	}

	private void reserve(long bytes) {
		long current;
		do {
			current = reserved.get();
			if (current + bytes > maxBytes) {
				throw new SpoolFull();
			}
		}
		while (!reserved.compareAndSet(current, current + bytes));
	}

	/** One upload's file and the bytes it holds of the budget. */
	final class SpoolFile implements AutoCloseable {

		private final Path file;

		private long held;

		private SpoolFile(Path file) {
			this.file = file;
		}

		/** Writes to the file; each write first takes its bytes from the budget. */
		OutputStream output() throws IOException {
			return new FilterOutputStream(Files.newOutputStream(file)) {

				@Override
				public void write(int b) throws IOException {
					take(1);
					out.write(b);
				}

				@Override
				public void write(byte[] bytes, int offset, int length) throws IOException {
					take(length);
					out.write(bytes, offset, length);
				}

			};
		}

		InputStream input() throws IOException {
			return Files.newInputStream(file);
		}

		private void take(long bytes) {
			reserve(bytes);
			held += bytes;
		}

		/** Removes the file and gives its bytes back. */
		@Override
		public void close() {
			try {
				Files.deleteIfExists(file);
			}
			catch (IOException e) {
				// the bytes go back to the budget regardless; the disk keeps them until
				// removed by hand
				log.error("Could not remove the spool file {}: {}", file, e.getMessage());
			}
			finally {
				reserved.addAndGet(-held);
				held = 0;
			}
		}

	}

}
