package dev.airlock.egress;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/** What of a plain HTTP request's body goes on: the body, never what follows it. */
class RequestBodyTest {

	static final String SMUGGLED = "GET http://evil.com/ HTTP/1.1\r\nHost: evil.com\r\n\r\n";

	static String body(String sent, long length) throws IOException {
		var in = new ByteArrayInputStream(sent.getBytes(StandardCharsets.ISO_8859_1));
		var body = new RequestBody(in, length).readAllBytes();
		assertThat(in.available()).as("everything after the body is read and dropped").isZero();
		return new String(body, StandardCharsets.ISO_8859_1);
	}

	@Test
	void aBodyOfAKnownLengthEndsThere() throws IOException {
		assertThat(body("first" + SMUGGLED, 5)).isEqualTo("first");
		assertThat(body(SMUGGLED, 0)).isEmpty();
	}

	@Test
	void aChunkedBodyEndsWithItsLastChunkAndTrailers() throws IOException {
		var chunked = "5\r\nhello\r\n1a;name=value\r\n" + "x".repeat(26) + "\r\n0\r\nTrailer: yes\r\n\r\n";

		assertThat(body(chunked + SMUGGLED, RequestBody.CHUNKED)).isEqualTo(chunked);
		assertThat(body("0\r\n\r\n" + SMUGGLED, RequestBody.CHUNKED)).isEqualTo("0\r\n\r\n");
	}

	@ParameterizedTest
	@ValueSource(strings = { "5\nhello\r\n0\r\n\r\n", "5\r\nhelloX\r\n0\r\n\r\n", "g\r\n", "-5\r\nhello\r\n",
			"ffffffffffffffff\r\n", "5\r\nhello\r\n0\r\n\n", "5\r\r\nhello", "5\r\nhel" })
	void aChunkedBodyThatIsNotOneEndsTheConnection(String sent) {
		assertThatIOException().isThrownBy(() -> body(sent, RequestBody.CHUNKED));
	}

	@Test
	void aBodyCutShortEndsTheConnection() {
		assertThatIOException().isThrownBy(() -> body("firs", 5));
	}

}
