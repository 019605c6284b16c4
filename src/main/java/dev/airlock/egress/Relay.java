package dev.airlock.egress;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;

import dev.airlock.runtime.EgressConnection;

/**
 * Copies bytes both ways between a sandbox's connection and the destination, each way on
 * its own thread, passing on half-closes; any error ends both. The destination's side is
 * idle-limited: no byte from it for {@code idle} ends the connection.
 */
final class Relay {

	private final EgressConnection connection;

	private final Socket upstream;

	private final Thread downstream;

	private volatile boolean aborted;

	private Relay(EgressConnection connection, Socket upstream, Duration idle) throws IOException {
		this.connection = connection;
		this.upstream = upstream;
		upstream.setSoTimeout((int) Math.min(Integer.MAX_VALUE, idle.toMillis()));
		this.downstream = Thread.ofVirtual().name("egress-down-" + connection.sandboxId()).start(this::down);
	}

	/** Starts copying the destination's bytes to the sandbox at once. */
	static Relay start(EgressConnection connection, Socket upstream, Duration idle) throws IOException {
		return new Relay(connection, upstream, idle);
	}

	/**
	 * Sends {@code first} (what was read to decide) and then everything the sandbox
	 * sends, until it is done and the destination's answer was passed on.
	 */
	void pump(InputStream fromSandbox, byte[] first, int length) throws IOException {
		try {
			var out = upstream.getOutputStream();
			out.write(first, 0, length);
			fromSandbox.transferTo(out);
			upstream.shutdownOutput();
			downstream.join();
		}
		catch (IOException e) {
			stop();
			throw e;
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			stop();
		}
	}

	/**
	 * Stops passing the destination's bytes on, leaving the sandbox's side to the caller
	 * (to answer it).
	 */
	void abort() {
		aborted = true;
		closeUpstream();
		try {
			downstream.join();
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	private void down() {
		try {
			upstream.getInputStream().transferTo(connection.output());
			if (!aborted) {
				connection.output().flush();
				connection.shutdownOutput();
			}
		}
		catch (IOException e) {
			if (!aborted) {
				stop();
			}
		}
	}

	private void stop() {
		closeUpstream();
		connection.close();
	}

	private void closeUpstream() {
		try {
			upstream.close();
		}
		catch (IOException ignored) {
			// closing is all that was wanted
		}
	}

}
