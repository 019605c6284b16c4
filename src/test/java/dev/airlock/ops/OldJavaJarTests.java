package dev.airlock.ops;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.airlock.IntegrationTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's {@code java -jar target/airlock.jar verify-audit FILE} on a Java 17: the
 * packaged jar (Spring Boot's launcher, then the Start-Class) says what it needs. Runs
 * after {@code package}, with the integration tests; needs neither Docker nor PostgreSQL.
 */
@Tag(IntegrationTest.TAG)
class OldJavaJarTests {

	@Test
	void verifyAuditOnJava17SaysWhatItNeedsInOneLineAndExits3() throws Exception {
		var jar = Path.of("target/airlock.jar").toAbsolutePath();
		assertThat(jar).as("the jar ./mvnw package builds").exists();
		var java17 = OldJava.require();
		var file = Files.createTempFile("audit", ".ndjson");

		var result = java17.run(null, "-jar", jar.toString(), "verify-audit", file.toString());

		assertThat(result.exitCode()).as(result.output()).isEqualTo(3);
		assertThat(result.output().strip()).startsWith("Airlock needs Java 21 or newer, but this is Java 17.")
			.contains("docker run --rm -v \"$PWD:/data\" airlock:dev verify-audit /data/audit.ndjson")
			.doesNotContain("\n")
			.doesNotContain("UnsupportedClassVersionError");
	}

}
