package dev.airlock.runtime.docker;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.util.unit.DataSize;

/**
 * A Unix socket that stands in for the Docker engine: each connection it accepts goes to
 * a handler, on its own thread, and stays open until the engine is closed.
 */
final class FakeEngine implements AutoCloseable {

	/** What the engine does with one connection. */
	interface Handler {

		void handle(SocketChannel connection) throws Exception;

	}

	/** Accepts and never reads or answers, like a hung daemon. */
	static final Handler SILENT = connection -> {
	};

	private final Path socket;

	private final ServerSocketChannel server;

	private final List<SocketChannel> connections = new CopyOnWriteArrayList<>();

	FakeEngine(Path folder, Handler handler) throws IOException {
		this.socket = folder.resolve("engine.sock");
		this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		server.bind(UnixDomainSocketAddress.of(socket));
		Thread.ofVirtual().name("fake-engine").start(() -> {
			while (server.isOpen()) {
				try {
					var connection = server.accept();
					connections.add(connection);
					Thread.ofVirtual().start(() -> {
						try {
							handler.handle(connection);
						}
						catch (Exception e) {
							// the client went away or the engine was closed
						}
					});
				}
				catch (IOException e) {
					return; // closed
				}
			}
		});
	}

	URI host() {
		return URI.create("unix://" + socket);
	}

	/** Airlock's defaults, pointed at this engine, with the given response timeout. */
	DockerSettings settings(Duration responseTimeout) {
		return new DockerSettings(host(), Duration.ofSeconds(1), responseTimeout, 10, DockerSettings.PullPolicy.NEVER,
				Duration.ofMinutes(1), DataSize.ofMegabytes(1), socket.resolveSibling("no-cgroups"), false, null);
	}

	/** Reads a request up to the end of its headers; a body, if any, stays unread. */
	static String readRequestHead(SocketChannel connection) throws IOException {
		var head = new StringBuilder();
		var one = ByteBuffer.allocate(1);
		while (!head.toString().endsWith("\r\n\r\n")) {
			one.clear();
			if (connection.read(one) < 0) {
				throw new IOException("the client went away");
			}
			head.append((char) one.get(0));
		}
		return head.toString();
	}

	static void write(SocketChannel connection, String text) throws IOException {
		var buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
		while (buffer.hasRemaining()) {
			connection.write(buffer);
		}
	}

	/**
	 * Takes no new connection while the open ones stay, as dockerd does once it begins to
	 * shut down.
	 */
	void stopListening() throws IOException {
		server.close();
		Files.deleteIfExists(socket);
	}

	@Override
	public void close() throws IOException {
		server.close();
		for (var connection : connections) {
			connection.close();
		}
	}

}
