package dev.airlock;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AirlockLauncherTest {

	@Test
	void aJavaOlderThan21IsToldInOneLineWhatItNeedsAndWhereToGetIt() {
		var refusal = AirlockLauncher.refusal(Runtime.Version.parse("17.0.15"), "/usr/lib/jvm/java-17");

		assertThat(refusal)
			.contains("needs Java 21 or newer", "this is Java 17.0.15 (/usr/lib/jvm/java-17)", "JDK 21+",
					"docker run --rm -v \"$PWD:/data\" airlock:dev verify-audit /data/audit.ndjson")
			.doesNotContain("\n");
	}

	@Test
	void java21AndNewerRunAirlock() {
		assertThat(AirlockLauncher.refusal(Runtime.Version.parse("21.0.1"), "/jdk")).isNull();
		assertThat(AirlockLauncher.refusal(Runtime.Version.parse("25"), "/jdk")).isNull();
		assertThat(AirlockLauncher.refusal(Runtime.version(), "/jdk")).isNull();
	}

}
