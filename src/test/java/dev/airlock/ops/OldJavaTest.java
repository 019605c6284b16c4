package dev.airlock.ops;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Java 17 running Airlock's compiled classes is told what it needs (the jar:
 * {@link OldJavaJarTests}).
 */
class OldJavaTest {

	@Test
	void aRealJava17GetsOneLineAndExitCode3NotAClassVersionError() throws Exception {
		var java17 = OldJava.require();
		var file = Files.createTempFile("audit", ".ndjson");

		var result = java17.run(null, "-cp", Path.of("target/classes").toAbsolutePath().toString(),
				"dev.airlock.AirlockLauncher", "verify-audit", file.toString());

		assertThat(result.exitCode()).as(result.output()).isEqualTo(3);
		assertThat(result.output().strip()).startsWith("Airlock needs Java 21 or newer, but this is Java 17.")
			.doesNotContain("\n")
			.doesNotContain("UnsupportedClassVersionError");
	}

}
