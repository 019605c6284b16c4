package dev.airlock.runtime.docker;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MultiplexedStreamTest {

	@ParameterizedTest
	@ValueSource(ints = { 1, 3, 8, 9, 1 << 20 })
	void framesSplitAcrossReadsAreReassembled(int bytesPerRead) throws IOException {
		var stream = concat(frame(1, "out one "), frame(2, "err"), frame(1, "out two"));
		var output = new Collected();

		MultiplexedStream.read(new Trickle(stream, bytesPerRead), output);

		assertThat(output.stdout()).isEqualTo("out one out two");
		assertThat(output.stderr()).isEqualTo("err");
	}

	@Test
	void aPayloadLargerThanTheBufferArrivesInPieces() throws IOException {
		var payload = "y".repeat(100_000);
		var output = new Collected();

		MultiplexedStream.read(new Trickle(frame(1, payload), 1 << 20), output);

		assertThat(output.stdout()).isEqualTo(payload);
		assertThat(output.pieces).allSatisfy(length -> assertThat(length).isBetween(1, 32 * 1024));
	}

	@Test
	void emptyFramesAreSkipped() throws IOException {
		var stream = concat(frame(1, ""), frame(2, ""), frame(1, "after"));
		var output = new Collected();

		MultiplexedStream.read(new Trickle(stream, 5), output);

		assertThat(output.stdout()).isEqualTo("after");
		assertThat(output.pieces).containsExactly(5);
	}

	@Test
	void aStreamThatEndsBetweenFramesEndsNormally() throws IOException {
		var output = new Collected();

		MultiplexedStream.read(new Trickle(new byte[0], 1), output);

		assertThat(output.pieces).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(ints = { 1, 4, 7 })
	void aHeaderCutShortIsAnEndOfFileError(int headerBytes) {
		var whole = concat(frame(1, "complete"), frame(2, "lost"));
		var cut = Arrays.copyOf(whole, 8 + "complete".length() + headerBytes);
		var output = new Collected();

		assertThatThrownBy(() -> MultiplexedStream.read(new Trickle(cut, 3), output)).isInstanceOf(EOFException.class)
			.hasMessageContaining("header");
		assertThat(output.stdout()).as("what arrived before the cut").isEqualTo("complete");
		assertThat(output.stderr()).isEmpty();
	}

	@Test
	void aPayloadCutShortIsAnEndOfFileErrorAfterDeliveringWhatArrived() {
		var whole = frame(2, "0123456789");
		var cut = Arrays.copyOf(whole, 8 + 6);
		var output = new Collected();

		assertThatThrownBy(() -> MultiplexedStream.read(new Trickle(cut, 4), output)).isInstanceOf(EOFException.class)
			.hasMessageContaining("4 bytes before the end");
		assertThat(output.stderr()).isEqualTo("012345");
	}

	@Test
	void theSinkCanStopTheReading() throws IOException {
		var underlying = new Trickle(concat(frame(1, "first"), frame(1, "second"), frame(1, "third")), 1 << 20);
		var seen = new ArrayList<String>();

		MultiplexedStream.read(underlying, (stream, buffer, length) -> {
			seen.add(new String(buffer, 0, length, StandardCharsets.UTF_8));
			return seen.size() < 2;
		});

		assertThat(seen).containsExactly("first", "second");
		assertThat(underlying.available()).as("the third frame stays unread").isEqualTo(8 + "third".length());
	}

	@Test
	void aSinkFailureStopsTheReadingWithItsError() {
		var stream = new Trickle(concat(frame(1, "a"), frame(1, "b")), 100);

		assertThatThrownBy(() -> MultiplexedStream.read(stream, (s, buffer, length) -> {
			throw new IOException("the client went away");
		})).hasMessage("the client went away");
	}

	static byte[] frame(int stream, String payload) {
		var bytes = payload.getBytes(StandardCharsets.UTF_8);
		var frame = new byte[8 + bytes.length];
		frame[0] = (byte) stream;
		frame[4] = (byte) (bytes.length >>> 24);
		frame[5] = (byte) (bytes.length >>> 16);
		frame[6] = (byte) (bytes.length >>> 8);
		frame[7] = (byte) bytes.length;
		System.arraycopy(bytes, 0, frame, 8, bytes.length);
		return frame;
	}

	static byte[] concat(byte[]... parts) {
		var out = new ByteArrayOutputStream();
		for (var part : parts) {
			out.writeBytes(part);
		}
		return out.toByteArray();
	}

	/** What a sink received, per stream, and the size of each piece. */
	private static final class Collected implements MultiplexedStream.Sink {

		private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();

		private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

		private final List<Integer> pieces = new ArrayList<>();

		@Override
		public boolean accept(int stream, byte[] buffer, int length) {
			assertThat(length).isPositive();
			pieces.add(length);
			(stream == MultiplexedStream.STDOUT ? stdout : stderr).write(buffer, 0, length);
			return true;
		}

		String stdout() {
			return stdout.toString(StandardCharsets.UTF_8);
		}

		String stderr() {
			return stderr.toString(StandardCharsets.UTF_8);
		}

	}

}
