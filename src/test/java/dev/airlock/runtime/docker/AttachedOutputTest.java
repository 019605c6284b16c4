package dev.airlock.runtime.docker;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The agent's stdout out of the engine's multiplexed attach stream. */
class AttachedOutputTest {

	@ParameterizedTest
	@ValueSource(ints = { 1, 3, 8, 9, 1 << 20 })
	void stdoutFramesSplitAcrossReadsAreReassembledAndStderrIsDropped(int bytesPerRead) throws IOException {
		var stream = concat(frame(1, "out one "), frame(2, "the agent's own words"), frame(1, ""), frame(1, "out two"));

		var out = new AttachedOutput(new Trickle(stream, bytesPerRead), "sb1").readAllBytes();

		assertThat(new String(out, StandardCharsets.UTF_8)).isEqualTo("out one out two");
	}

	@Test
	void aLongStderrFrameIsSkippedWhole() throws IOException {
		var stream = concat(frame(2, "e".repeat(100_000)), frame(1, "after"));

		var out = new AttachedOutput(new Trickle(stream, 4096), "sb1").readAllBytes();

		assertThat(new String(out, StandardCharsets.UTF_8)).isEqualTo("after");
	}

	@ParameterizedTest
	@ValueSource(ints = { 1, 4, 7 })
	void aHeaderCutShortIsAnEndOfFileError(int headerBytes) {
		var stream = concat(frame(1, "whole"), Arrays.copyOf(frame(1, "cut"), headerBytes));

		assertThatThrownBy(() -> new AttachedOutput(new Trickle(stream, 64), "sb1").readAllBytes())
			.isInstanceOf(EOFException.class);
	}

	@Test
	void aPayloadCutShortIsAnEndOfFileError() {
		var whole = frame(1, "twelve bytes");
		var stream = Arrays.copyOf(whole, whole.length - 3);

		assertThatThrownBy(() -> new AttachedOutput(new Trickle(stream, 64), "sb1").readAllBytes())
			.isInstanceOf(EOFException.class);
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

}
