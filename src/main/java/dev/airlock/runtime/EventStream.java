package dev.airlock.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Writes a process's output (an exec's, or a sandbox's main process's) as Server-Sent
 * Events: {@code stdout}/{@code stderr} chunks as they come, then whatever the caller
 * ends with (an exec's {@code exit}). A heartbeat comment finds a client that left while
 * the process was silent, and cancels it.
 */
public final class EventStream implements ExecOutput, AutoCloseable {

	private static final Duration HEARTBEAT = Duration.ofSeconds(2);

	private final OutputStream out;

	private final Decoder stdout = new Decoder();

	private final Decoder stderr = new Decoder();

	private final Thread heartbeat;

	private volatile Runnable cancel;

	private volatile long lastWrite = System.nanoTime();

	public EventStream(OutputStream out) {
		this.out = out;
		this.heartbeat = Thread.ofVirtual().name("sse-heartbeat").start(this::beat);
	}

	@Override
	public void started(Runnable cancel) {
		this.cancel = cancel;
		try {
			synchronized (this) {
				// the command runs: send the headers now, not with the first output
				out.flush();
			}
		}
		catch (IOException gone) {
			cancel.run();
		}
	}

	@Override
	public void stdout(byte[] buffer, int offset, int length) throws IOException {
		event("stdout", stdout.decode(buffer, offset, length));
	}

	@Override
	public void stderr(byte[] buffer, int offset, int length) throws IOException {
		event("stderr", stderr.decode(buffer, offset, length));
	}

	public synchronized void event(String name, String data) throws IOException {
		if (data.isEmpty()) {
			return;
		}
		var event = new StringBuilder("event: ").append(name).append('\n');
		for (var line : data.split("\r\n|\r|\n", -1)) {
			event.append("data: ").append(line).append('\n');
		}
		event.append('\n');
		out.write(event.toString().getBytes(StandardCharsets.UTF_8));
		out.flush();
		lastWrite = System.nanoTime();
	}

	private void beat() {
		try {
			while (!Thread.currentThread().isInterrupted()) {
				Thread.sleep(HEARTBEAT);
				if (System.nanoTime() - lastWrite >= HEARTBEAT.toNanos()) {
					synchronized (this) {
						out.write(":\n\n".getBytes(StandardCharsets.US_ASCII));
						out.flush();
						lastWrite = System.nanoTime();
					}
				}
			}
		}
		catch (InterruptedException e) {
			// the exec ended
		}
		catch (IOException gone) {
			var cancelling = cancel;
			if (cancelling != null) {
				cancelling.run();
			}
		}
	}

	@Override
	public void close() {
		heartbeat.interrupt();
	}

	/**
	 * UTF-8 across chunk boundaries: a character split between two chunks is decoded
	 * whole.
	 */
	private static final class Decoder {

		private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
			.onMalformedInput(CodingErrorAction.REPLACE)
			.onUnmappableCharacter(CodingErrorAction.REPLACE);

		private ByteBuffer pending = ByteBuffer.allocate(0);

		String decode(byte[] buffer, int offset, int length) {
			var input = ByteBuffer.allocate(pending.remaining() + length);
			input.put(pending).put(buffer, offset, length).flip();
			var chars = CharBuffer.allocate(input.remaining() + 1);
			decoder.decode(input, chars, false);
			pending = input.slice();
			return chars.flip().toString();
		}

	}

}
