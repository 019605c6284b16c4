package dev.airlock.policy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ImagePatternTests {

	@Test
	void starMatchesAnyRunIncludingSlashes() {
		var pattern = ImagePattern.of("python:*");
		assertThat(pattern.matches("python:3.12-slim")).isTrue();
		assertThat(pattern.matches("python")).isTrue(); // python:latest
		assertThat(pattern.matches("pythonx:3")).isFalse();
		assertThat(pattern.matches("evil/python:3")).isFalse();
		assertThat(ImagePattern.of("ghcr.io/acme/*").matches("ghcr.io/acme/tools/agent:1")).isTrue();
	}

	@Test
	void questionMarkMatchesOneCharacter() {
		assertThat(ImagePattern.of("busybox:1.3?").matches("busybox:1.35")).isTrue();
		assertThat(ImagePattern.of("busybox:1.3?").matches("busybox:1.350")).isFalse();
	}

	@Test
	void regexCharactersInTheGlobAreLiteral() {
		assertThat(ImagePattern.of("a.b:1").matches("axb:1")).isFalse();
		assertThat(ImagePattern.of("a.b:1").matches("a.b:1")).isTrue();
	}

	@Test
	void anUntaggedReferenceIsLatest() {
		assertThat(ImagePattern.of("busybox:latest").matches("busybox")).isTrue();
		assertThat(ImagePattern.of("busybox:1.35").matches("busybox")).isFalse();
		assertThat(ImagePattern.normalise("localhost:5000/busybox")).isEqualTo("localhost:5000/busybox:latest");
		assertThat(ImagePattern.normalise("busybox@sha256:abc")).isEqualTo("busybox@sha256:abc");
	}

}
