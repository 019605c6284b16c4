package dev.airlock.exec;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeniedPatternsTest {

	private static final List<String> BY_NAME = List.of("(^|\\s)nmap(\\s|$)");

	private static final List<String> BY_PATH = List.of("^/usr/bin/nmap\\b");

	@Test
	void aPatternForTheNameCatchesEveryPathToIt() {
		for (var program : List.of("nmap", "/bin/nmap", "/usr/bin/nmap", "./nmap", "../tools/nmap")) {
			assertThat(DeniedPatterns.firstMatch(BY_NAME, List.of(program, "-sS", "10.0.0.1"), () -> List.of()))
				.as(program)
				.isEqualTo(BY_NAME.getFirst());
		}
		assertThat(DeniedPatterns.firstMatch(BY_NAME, List.of("/usr/bin/nmapper"), () -> List.of())).isNull();
	}

	@Test
	void theSandboxIsNotAskedWhenTheArgvAsGivenIsDenied() {
		assertThat(DeniedPatterns.firstMatch(BY_NAME, List.of("/bin/nmap"), () -> {
			throw new AssertionError("the program was looked up");
		})).isEqualTo(BY_NAME.getFirst());
	}

	@Test
	void aPatternForThePathCatchesTheNameWhereThePathResolvesToIt() {
		assertThat(DeniedPatterns.firstMatch(BY_PATH, List.of("nmap", "-sS"), () -> List.of("/usr/bin/nmap")))
			.isEqualTo(BY_PATH.getFirst());
		assertThat(DeniedPatterns.firstMatch(BY_PATH, List.of("nmap", "-sS"), () -> List.of("/workspace/nmap")))
			.isNull();
		assertThat(DeniedPatterns.firstMatch(BY_PATH, List.of("nmap", "-sS"), () -> List.of())).isNull();
	}

	@Test
	void aPatternForThePathCatchesTheProgramsCanonicalSpelling() {
		// a merged-/usr image: /bin links to usr/bin
		assertThat(
				DeniedPatterns.firstMatch(BY_PATH, List.of("/bin/nmap"), () -> List.of("/bin/nmap", "/usr/bin/nmap")))
			.isEqualTo(BY_PATH.getFirst());
	}

}
