package dev.airlock.runtime.docker;

import java.io.ByteArrayOutputStream;
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
	void chunkedOutputFramesEachWriteAndEndsOnceOnClose() throws IOException {
		var raw = new ByteArrayOutputStream();
		var out = new HttpBodies.ChunkedOutput(raw);

		out.write("hello".getBytes(StandardCharsets.US_ASCII));
		out.write(new byte[0]); // must not end the body early
		out.write('!');
		out.write("x".repeat(26).getBytes(StandardCharsets.US_ASCII));
		out.close();
		out.close();

		var encoded = raw.toString(StandardCharsets.US_ASCII);
		assertThat(encoded).isEqualTo("5\r\nhello\r\n1\r\n!\r\n1a\r\n" + "x".repeat(26) + "\r\n0\r\n\r\n");
		var decoded = new HttpBodies.ChunkedInput(Trickle.of(encoded, 3)).readAllBytes();
		assertThat(new String(decoded, StandardCharsets.US_ASCII)).isEqualTo("hello!" + "x".repeat(26));
		assertThatThrownBy(() -> out.write(1)).isInstanceOf(IOException.class);
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
