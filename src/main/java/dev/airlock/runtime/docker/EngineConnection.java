package dev.airlock.runtime.docker;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * One raw HTTP/1.1 exchange with the Docker Engine over its socket, for what docker-java
 * cannot do: a hijacked attach to a container's stdio (the agent's channel), read and
 * written at once from two threads, and one-shot stats. Reading and writing may happen on
 * two threads at once. Every blocking read and write has a deadline ({@link StallGuard}).
 */
final class EngineConnection implements Closeable {

	private static final int MAX_HEAD = 16 * 1024;

	private static final int MAX_ERROR_BODY = 64 * 1024;

	private final EngineWire channel;

	private final ChannelInput input;

	private final StallGuard deadline;

	private EngineConnection(EngineWire channel, Duration idleTimeout) {
		this.channel = channel;
		this.input = new ChannelInput();
		this.deadline = new StallGuard(idleTimeout, this::close);
	}

	/**
	 * Connects; each later read or write may wait at most the response timeout (see
	 * {@link #idleTimeout(Duration)}).
	 */
	static EngineConnection open(DockerSettings settings) throws IOException {
		var host = settings.host();
		var unix = "unix".equals(host.getScheme());
		if (!unix && !"tcp".equals(host.getScheme()) && !"http".equals(host.getScheme())) {
			throw new IOException("Unsupported Docker host scheme: " + host.getScheme());
		}
		var timeout = (int) settings.connectTimeout().toMillis();
		if (settings.tlsVerify()) {
			var connection = new EngineConnection(
					EngineWire.tls(new InetSocketAddress(host.getHost(), host.getPort()), settings.certPath(), timeout),
					settings.connectTimeout());
			connection.idleTimeout(settings.responseTimeout());
			return connection;
		}
		var channel = unix ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
		var connection = new EngineConnection(EngineWire.of(channel), settings.connectTimeout());
		try {
			if (unix) { // a Unix connect blocks while the engine's accept backlog is full
				connection.deadline.write(() -> channel.connect(UnixDomainSocketAddress.of(host.getPath())) ? 1 : 0);
			}
			else {
				channel.socket().connect(new InetSocketAddress(host.getHost(), host.getPort()), timeout);
			}
		}
		catch (IOException | RuntimeException e) { // a bad address too: never leave the
													// channel open
			connection.close();
			throw e;
		}
		connection.idleTimeout(settings.responseTimeout());
		return connection;
	}

	/**
	 * How long a single read or write may wait from now on: a hijacked exec stream is
	 * silent for as long as its command prints nothing.
	 */
	void idleTimeout(Duration timeout) {
		deadline.limit(timeout);
	}

	/**
	 * Sends the request line and headers; a body, if any, follows through
	 * {@link #body()}.
	 */
	void send(String method, String pathAndQuery, Map<String, String> headers) throws IOException {
		var head = new StringBuilder(method).append(' ').append(pathAndQuery).append(" HTTP/1.1\r\nHost: docker\r\n");
		headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
		head.append("\r\n");
		writeFully(ByteBuffer.wrap(head.toString().getBytes(StandardCharsets.ISO_8859_1)));
	}

	/** The raw request body (the caller frames it: Content-Length or chunked). */
	OutputStream body() {
		return new OutputStream() {
			@Override
			public void write(int b) throws IOException {
				write(new byte[] { (byte) b }, 0, 1);
			}

			@Override
			public void write(byte[] buffer, int offset, int length) throws IOException {
				writeFully(ByteBuffer.wrap(buffer, offset, length));
			}
		};
	}

	/** Reads the status line and headers of the response. */
	Response readResponse() throws IOException {
		var head = new ByteArrayOutputStream();
		int last4 = 0;
		while (last4 != 0x0d0a0d0a) { // the blank line after the headers
			int b = input.read();
			if (b < 0) {
				throw new EOFException("The Docker engine closed the connection before answering");
			}
			head.write(b);
			last4 = (last4 << 8) | b;
			if (head.size() > MAX_HEAD) {
				throw new IOException("The Docker engine's response head is too large");
			}
		}
		var response = HttpBodies.parseHead(head.toString(StandardCharsets.ISO_8859_1));
		var length = response.headers().get("content-length");
		if (length != null && !length.matches("\\d{1,18}")) {
			throw new IOException("The Docker engine sent a bad Content-Length: " + length);
		}
		return response;
	}

	/**
	 * The response body, framed as its headers say; for an upgraded (hijacked) stream,
	 * everything until EOF.
	 */
	InputStream responseBody(Response response) {
		if ("chunked".equalsIgnoreCase(response.headers().get("transfer-encoding"))) {
			return new HttpBodies.ChunkedInput(input);
		}
		var length = response.headers().get("content-length");
		if (length != null && response.status() != 101) {
			return new HttpBodies.LimitedInput(input, Long.parseLong(length));
		}
		return input;
	}

	/** The engine's message from an error response's body. */
	String errorMessage(Response response) {
		try {
			var body = responseBody(response).readNBytes(MAX_ERROR_BODY);
			return DockerErrors.messageOf(new String(body, StandardCharsets.UTF_8));
		}
		catch (IOException e) {
			return "HTTP " + response.status();
		}
	}

	@Override
	public void close() {
		deadline.stop();
		channel.close();
	}

	private void writeFully(ByteBuffer buffer) throws IOException {
		while (buffer.hasRemaining()) {
			deadline.write(() -> channel.write(buffer));
		}
	}

	record Response(int status, Map<String, String> headers) {
	}

	/**
	 * Buffered reads straight off the channel; independent of writes on another thread.
	 */
	private final class ChannelInput extends InputStream {

		private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024).flip();

		private boolean fill() throws IOException {
			while (!buffer.hasRemaining()) {
				buffer.clear();
				int n;
				try {
					n = deadline.read(() -> channel.read(buffer));
				}
				finally {
					buffer.flip(); // empty, not stale, after a failed read
				}
				if (n < 0) {
					return false;
				}
			}
			return true;
		}

		@Override
		public int read() throws IOException {
			return fill() ? buffer.get() & 0xff : -1;
		}

		@Override
		public int read(byte[] target, int offset, int length) throws IOException {
			if (length == 0) {
				return 0;
			}
			if (!fill()) {
				return -1;
			}
			int n = Math.min(length, buffer.remaining());
			buffer.get(target, offset, n);
			return n;
		}

	}

}
