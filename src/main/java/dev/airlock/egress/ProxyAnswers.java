package dev.airlock.egress;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.airlock.runtime.EgressConnection;

/**
 * What the gateway says to a sandbox's process: the proxy's own answers. A refusal is a
 * complete HTTP response (or, inside a TLS tunnel, a TLS alert) followed by the end of
 * the stream, so every client shows it instead of a bare reset.
 */
final class ProxyAnswers {

	/** How long a refused client may take to hang up before it is cut off. */
	static final Duration LINGER = Duration.ofSeconds(5);

	/** A fatal TLS alert, {@code access_denied} (49), in a TLS 1.2 record. */
	private static final byte[] TLS_ACCESS_DENIED = { 0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 49 };

	private static final byte[] ESTABLISHED = "HTTP/1.1 200 Connection established\r\n\r\n"
		.getBytes(StandardCharsets.US_ASCII);

	private final EgressConnection connection;

	ProxyAnswers(EgressConnection connection) {
		this.connection = connection;
	}

	/** A refusal as an HTTP response: what {@code curl} and {@code wget} print. */
	void refuse(int status, String reason, String text) {
		var body = ("Airlock egress gateway: " + text + "\n").getBytes(StandardCharsets.UTF_8);
		var head = "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: text/plain; charset=utf-8\r\n"
				+ "X-Airlock-Egress: denied\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
		finish(concat(head.getBytes(StandardCharsets.US_ASCII), body));
	}

	/** The tunnel stands: from now on the bytes are the client's and the server's. */
	void established() throws IOException {
		connection.output().write(ESTABLISHED);
		connection.output().flush();
	}

	/** A TLS handshake refused by its server name: the client reports "access denied". */
	void tlsAccessDenied() {
		finish(TLS_ACCESS_DENIED);
	}

	/**
	 * Sends the last bytes and the end of the stream, then waits (briefly) for the client
	 * to hang up, discarding what it still sends: a reset at once could discard the
	 * answer before the client read it.
	 */
	private void finish(byte[] last) {
		try (var cutOff = Deadline.closing(connection, LINGER)) {
			connection.output().write(last);
			connection.output().flush();
			connection.shutdownOutput();
			connection.input().skip(Long.MAX_VALUE);
			while (connection.input().read() >= 0) {
				connection.input().skip(Long.MAX_VALUE);
			}
		}
		catch (IOException e) {
			// the client went away first
		}
		finally {
			connection.close();
		}
	}

	private static byte[] concat(byte[] a, byte[] b) {
		var all = new byte[a.length + b.length];
		System.arraycopy(a, 0, all, 0, a.length);
		System.arraycopy(b, 0, all, a.length, b.length);
		return all;
	}

}
