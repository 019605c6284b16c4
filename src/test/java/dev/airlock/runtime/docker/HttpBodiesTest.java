package dev.airlock.runtime.docker;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpBodiesTest {

	@Test
	void aContentLengthBodyStopsAtItsLength() throws IOException {
		var underlying = Trickle.of("hello, and the next response", 2);
		var in = new HttpBodies.LimitedInput(underlying, 5);

		assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("hello");
		assertThat(in.read()).isEqualTo(-1);
		assertThat(underlying.available()).isEqualTo(", and the next response".length());
	}

	@Test
	void aContentLengthBodyCutShortIsAnEndOfFileError() {
		var in = new HttpBodies.LimitedInput(Trickle.of("hel", 2), 5);

		assertThatThrownBy(in::readAllBytes).isInstanceOf(EOFException.class).hasMessageContaining("2 bytes early");
	}

	@Test
	void parsesTheStatusAndHeadersWithLowerCaseNames() throws IOException {
		var response = HttpBodies.parseHead("HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n"
				+ "X-Docker-Container-Path-Stat: e30=\r\nContent-Length:  42 \r\n\r\n");

		assertThat(response.status()).isEqualTo(404);
		assertThat(response.headers()).containsEntry("content-type", "application/json")
			.containsEntry("x-docker-container-path-stat", "e30=")
			.containsEntry("content-length", "42");
	}

	@Test
	void aHeadThatIsNotHttpIsAnError() {
		assertThatThrownBy(() -> HttpBodies.parseHead("SSH-2.0-OpenSSH\r\n\r\n")).isInstanceOf(IOException.class)
			.hasMessageContaining("Not an HTTP response");
		assertThatThrownBy(() -> HttpBodies.parseHead("HTTP/1.1 abc\r\n\r\n")).isInstanceOf(IOException.class);
	}

}
