package dev.airlock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A class that grows past a screenful or five is doing two jobs: split it by caller. */
class SourceSizeTest {

	static final int MAX_LINES = 300;

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

	private static long lines(Path file) {
		try (var lines = Files.lines(file)) {
			return lines.count();
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

}
