package dev.airlock.files;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The host folder where uploads wait until they are complete, with one budget of bytes
 * for all of them: each upload takes its bytes from it as they arrive and gives them back
 * when it ends, however it ends; its file is always removed. The files are in this
 * process's own folder of the spool ({@link SpoolFolder}).
 */
@Component
class UploadSpool implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(UploadSpool.class);

	private final SpoolFolder folder;

	private final long maxBytes;

	private final AtomicLong reserved = new AtomicLong();

	UploadSpool(FileSettings settings) throws IOException {
		this.folder = SpoolFolder.create(settings.spoolDirectory() != null ? settings.spoolDirectory()
				: Path.of(System.getProperty("java.io.tmpdir"), "airlock-uploads"));
		this.maxBytes = settings.spoolMaxBytes();
	}

	/**
	 * A new spool file; refused at once when {@code declaredLength} could never fit.
	 * Close it on every path.
	 */
	SpoolFile open(long declaredLength) throws IOException {
		if (declaredLength > maxBytes) {
			throw new SpoolFull();
		}
		try {
			return new SpoolFile(Files.createTempFile(folder.path(), "upload-", ".part"));
		}
		catch (IOException e) {
			throw fullOr(e);
		}
	}

	/** Removes this process's folder of the spool at shutdown. */
	@Override
	public void close() throws IOException {
		folder.close();
	}

	/**
	 * A disk that is full before the budget is (other files on it, a budget larger than
	 * the disk) refuses like the budget: the upload may succeed later or elsewhere.
	 */
	private static IOException fullOr(IOException e) {
		var message = String.valueOf(e.getMessage());
		if (message.contains("No space left on device") || message.contains("Disk quota exceeded")) {
			throw new SpoolFull();
		}
		return e;
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
					write(new byte[] { (byte) b }, 0, 1);
				}

				@Override
				public void write(byte[] bytes, int offset, int length) throws IOException {
					take(length);
					try {
						out.write(bytes, offset, length);
					}
					catch (IOException e) {
						throw fullOr(e);
					}
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
