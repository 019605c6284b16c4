package dev.airlock.runtime.docker;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import dev.airlock.runtime.ExecOutput;

/** An exec's output kept in memory, for tests. */
final class CollectedOutput implements ExecOutput {

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	private final ByteArrayOutputStream err = new ByteArrayOutputStream();

	@Override
	public synchronized void stdout(byte[] buffer, int offset, int length) {
		out.write(buffer, offset, length);
	}

	@Override
	public synchronized void stderr(byte[] buffer, int offset, int length) {
		err.write(buffer, offset, length);
	}

	synchronized String stdout() {
		return out.toString(StandardCharsets.UTF_8);
	}

	synchronized String stderr() {
		return err.toString(StandardCharsets.UTF_8);
	}

}
