package dev.airlock.files;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each process's private folder of the spool, and what becomes of the folders of
 * processes that are gone, with real processes holding and dropping their locks.
 */
class SpoolFolderTest {

	@TempDir
	Path spool;

	@Test
	void eachProcessHasAPrivateFolderRemovedAtShutdown() throws IOException {
		var first = SpoolFolder.create(spool);
		try (var second = SpoolFolder.create(spool)) {
			assertThat(first.path()).isNotEqualTo(second.path()).hasParent(spool);
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(first.path())))
				.isEqualTo("rwx------");
			Files.writeString(first.path().resolve("upload-1.part"), "left by an upload");

			first.close();

			assertThat(first.path()).doesNotExist();
			assertThat(second.path()).isDirectory();
		}
	}

	@Test
	void theFoldersOfProcessesThatAreGoneAreRemovedAtStartAndOnlyThose() throws Exception {
		var held = Files.createDirectory(spool.resolve(SpoolFolder.PREFIX + "other"));
		Files.writeString(held.resolve("upload-2.part"), "an upload of a running replica");
		var notLocked = Files.createDirectory(spool.resolve(SpoolFolder.PREFIX + "crashed"));
		Files.createFile(notLocked.resolve(".owner"));
		Files.writeString(notLocked.resolve("upload-3.part"), "left by a SIGKILL");
		var owner = holdLock(held.resolve(".owner"));
		try {
			try (var ours = SpoolFolder.create(spool)) {
				assertThat(notLocked).doesNotExist();
				assertThat(held.resolve("upload-2.part")).exists();
			}
		}
		finally {
			owner.destroyForcibly().waitFor();
		}

		try (var ours = SpoolFolder.create(spool)) {
			assertThat(held).doesNotExist();
		}
	}

	@Test
	void aSpoolDirectoryOthersMayWriteToIsRefused() throws IOException {
		Files.setPosixFilePermissions(spool, PosixFilePermissions.fromString("rwxrwxrwx"));

		assertThatThrownBy(() -> SpoolFolder.create(spool)).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("writable by no one else");
		try (var entries = Files.list(spool)) {
			assertThat(entries.filter(entry -> entry.getFileName().toString().startsWith(SpoolFolder.PREFIX)))
				.isEmpty();
		}
	}

	/**
	 * Another JVM that takes the lock on {@code file} and keeps it until it is killed.
	 */
	private static Process holdLock(Path file) throws IOException {
		var java = ProcessHandle.current().info().command().orElseThrow();
		var process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Hold.class.getName(),
				file.toString())
			.redirectErrorStream(true)
			.start();
		var output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
		assertThat(output.readLine()).isEqualTo("locked");
		return process;
	}

	/** The main class of that JVM. */
	static final class Hold {

		public static void main(String[] args) throws IOException {
			try (var channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
					var lock = channel.lock()) {
				System.out.println("locked");
				System.in.read();
			}
		}

	}

}
