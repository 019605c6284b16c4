package dev.airlock.runtime.docker;

import com.github.dockerjava.api.exception.NotFoundException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DockerErrorsTest {

	@Test
	void takesTheMessageOutOfTheEnginesJsonBody() {
		assertThat(DockerErrors.messageOf("{\"message\":\"No such container: \\\"x\\\"\"}\n"))
			.isEqualTo("No such container: \"x\"");
		assertThat(DockerErrors.messageOf(" { \"message\" : \"spaced\", \"other\": 1 } ")).isEqualTo("spaced");
	}

	@Test
	void fallsBackToTheRawTextWhenTheBodyIsNotTheEnginesJson() {
		assertThat(DockerErrors.messageOf("page not found\n")).isEqualTo("page not found");
		assertThat(DockerErrors.messageOf("{\"message\": \"cut")).isEqualTo("{\"message\": \"cut");
		assertThat(DockerErrors.messageOf("{\"error\":\"x\"}")).isEqualTo("{\"error\":\"x\"}");
		assertThat(DockerErrors.messageOf("")).isEmpty();
	}

	@Test
	void boundsALongRawBody() {
		var message = DockerErrors.messageOf("<html>" + "x".repeat(100_000));

		assertThat(message).startsWith("<html>xxx").hasSizeLessThan(1100).endsWith("…");
	}

	@Test
	void readsTheMessageThatDockerJavaWrapsInItsException() {
		var e = new NotFoundException("{\"message\":\"No such container: airlock-sb1\"}\n");

		assertThat(e.getMessage()).startsWith("Status 404: {");
		assertThat(DockerErrors.engineMessage(e)).isEqualTo("No such container: airlock-sb1");
	}

}
