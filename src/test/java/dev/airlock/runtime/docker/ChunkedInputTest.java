package dev.airlock.runtime.docker;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChunkedInputTest {

	private static final String BODY = "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";

	@Test
	void joinsTheChunksUpToTheZeroChunk() throws IOException {
		assertThat(decode(Trickle.of(BODY, Integer.MAX_VALUE), 1024)).isEqualTo("hello world");
	}

	@ParameterizedTest
	@ValueSource(ints = { 1, 2, 3, 7 })
	void readsThatSplitAnywhereGiveTheSameBody(int bytesPerRead) throws IOException {
		assertThat(decode(Trickle.of(BODY, bytesPerRead), 4)).isEqualTo("hello world");
	}

	@Test
	void aReaderThatHandsOneByteAtATime() throws IOException {
		var in = new HttpBodies.ChunkedInput(Trickle.of(BODY, 1));
		var out = new StringBuilder();
		int b;
		while ((b = in.read()) >= 0) {
			out.append((char) b);
		}
		assertThat(out).hasToString("hello world");
	}

	@Test
	void ignoresChunkExtensionsAndReadsHexInEitherCase() throws IOException {
		var data = "x".repeat(0x1a);
		var body = "1A;name=value\r\n" + data + "\r\n3 ; a=\"b;c\"\r\nend\r\n0;last\r\n\r\n";
		assertThat(decode(Trickle.of(body, 5), 8)).isEqualTo(data + "end");
	}

	@Test
	void theZeroChunkEndsTheBodyWithoutReadingFurther() throws IOException {
		var underlying = Trickle.of("3\r\nabc\r\n0\r\n\r\nNEXT", 100);
		var in = new HttpBodies.ChunkedInput(underlying);

		assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("abc");
		assertThat(in.read()).isEqualTo(-1);
		assertThat(in.read(new byte[8], 0, 8)).isEqualTo(-1);
		assertThat(underlying.available()).as("the trailer section and what follows stay unread").isEqualTo(6);
	}

	@Test
	void anEmptyBodyIsJustTheZeroChunk() throws IOException {
		assertThat(decode(Trickle.of("0\r\n\r\n", 1), 16)).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(
			strings = { "", "5\r\nhel", "5\r\nhello", "5\r\nhello\r\n", "5\r\nhello\r\n6", "5\r\nhello\r\n6\r\n wo" })
	void aBodyCutShortIsAnEndOfFileError(String truncated) {
		assertThatThrownBy(() -> decode(Trickle.of(truncated, 3), 16)).isInstanceOf(EOFException.class);
	}

	@Test
	void aSizeThatIsNotHexIsAnError() {
		assertThatThrownBy(() -> decode(Trickle.of("zz\r\nhello\r\n0\r\n\r\n", 16), 16)).isInstanceOf(IOException.class)
			.hasMessageContaining("not a chunk size");
	}

	@Test
	void dataLongerThanItsSizeIsAnError() {
		assertThatThrownBy(() -> decode(Trickle.of("3\r\nhello\r\n0\r\n\r\n", 16), 16)).isInstanceOf(IOException.class)
			.hasMessageContaining("no CRLF");
	}

	@Test
	void anEndlessSizeLineIsAnError() {
		assertThatThrownBy(() -> decode(Trickle.of("1".repeat(10_000), 1024), 16)).isInstanceOf(IOException.class)
			.hasMessageContaining("too long");
	}

	@Test
	void aZeroLengthReadReadsNothing() throws IOException {
		var underlying = Trickle.of(BODY, 100);
		assertThat(new HttpBodies.ChunkedInput(underlying).read(new byte[4], 0, 0)).isZero();
		assertThat(underlying.available()).isEqualTo(BODY.length());
	}

	private static String decode(InputStream raw, int bufferSize) throws IOException {
		var in = new HttpBodies.ChunkedInput(raw);
		var out = new ByteArrayOutputStream();
		var buffer = new byte[bufferSize];
		int n;
		while ((n = in.read(buffer, 0, buffer.length)) >= 0) {
			out.write(buffer, 0, n);
		}
		return out.toString(StandardCharsets.ISO_8859_1);
	}

}
