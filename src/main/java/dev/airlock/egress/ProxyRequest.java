package dev.airlock.egress;

import java.io.IOException;
import java.io.InputStream;

/**
 * The head of what a sandbox process sent to its proxy port: a {@code CONNECT} to tunnel
 * through, a plain HTTP request to forward, or something refused. Only the head is read;
 * what follows it (a body, a TLS handshake) stays in the stream.
 */
public sealed interface ProxyRequest {

	/** The longest head read; a longer one is {@link Malformed}. */
	int MAX_HEAD = 64 * 1024;

	/**
	 * Reads one request head (up to and including its blank line, byte by byte so that
	 * nothing after it is consumed) and parses it.
	 */
	static ProxyRequest read(InputStream in) throws IOException {
		return ProxyRequestParser.parse(in);
	}

	/** {@code CONNECT host:port}: a tunnel. */
	record Connect(String host, int port) implements ProxyRequest {
	}

	/**
	 * An absolute-form {@code http://} request; {@code upstreamHead} is the head to send
	 * the destination: origin-form request line, no hop-by-hop or {@code Proxy-*}
	 * headers, {@code Connection: close}; {@code bodyLength} the body's length in bytes
	 * (0 without one), or {@link RequestBody#CHUNKED}.
	 */
	record Http(String host, int port, byte[] upstreamHead, long bodyLength) implements ProxyRequest {
	}

	/** Refused before any decision, with a short reason for the client. */
	record Malformed(String reason) implements ProxyRequest {
	}

}
