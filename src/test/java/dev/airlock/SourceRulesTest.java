package dev.airlock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Rules on the sources themselves that no compiler checks. */
class SourceRulesTest {

	static final int MAX_LINES = 300;

	/** A class that grows past a few screens is doing two jobs: split it by caller. */
	@Test
	void noMainSourceFileIsOverThreeHundredLines() throws IOException {
		try (var files = Files.walk(Path.of("src/main/java"))) {
			var tooLong = files.filter(file -> file.toString().endsWith(".java"))
				.filter(file -> lines(file) > MAX_LINES)
				.map(file -> file + " (" + lines(file) + " lines)")
				.toList();
			assertThat(tooLong).as("files over %d lines", MAX_LINES).isEmpty();
		}
	}

	@Test
	void everyPackageIsNullMarked() throws IOException {
		try (var files = Files.walk(Path.of("src/main/java"))) {
			var unmarked = files.filter(file -> file.endsWith("package-info.java"))
				.filter(file -> !read(file).contains("@NullMarked"))
				.toList();
			assertThat(unmarked).as("package-info.java without @NullMarked").isEmpty();
		}
		try (var folders = Files.walk(Path.of("src/main/java/dev/airlock"))) {
			var withoutInfo = folders.filter(Files::isDirectory)
				.filter(folder -> !Files.exists(folder.resolve("package-info.java")))
				.toList();
			assertThat(withoutInfo).as("packages without a package-info.java").isEmpty();
		}
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	private static long lines(Path file) {
		try (var lines = Files.lines(file)) {
			return lines.count();
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

}
