package dev.airlock.runtime.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.airlock.runtime.docker.FakeEngine.readRequestHead;
import static dev.airlock.runtime.docker.FakeEngine.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The raw client against a fake engine on a Unix socket: framing, error bodies, and the
 * deadline on every blocking read and write.
 */
class EngineConnectionTest {

	private static final Duration LIVENESS = Duration.ofSeconds(20);

	@TempDir
	Path folder;

	@Test
	void readsAChunkedAnswer() throws Exception {
		try (var engine = new FakeEngine(folder, connection -> {
			readRequestHead(connection);
			write(connection, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
			write(connection, "6\r\n{\"a\":1\r\n1;ext=1\r\n}\r\n0\r\n\r\n");
		}); var connection = EngineConnection.open(engine.settings(Duration.ofSeconds(5)))) {
			connection.send("GET", "/info", Map.of());
			var response = connection.readResponse();

			assertThat(response.status()).isEqualTo(200);
			assertThat(new String(connection.responseBody(response).readAllBytes(), StandardCharsets.UTF_8))
				.isEqualTo("{\"a\":1}");
		}
	}

	@Test
	void takesTheEnginesMessageOutOfAnErrorBody() throws Exception {
		var body = "{\"message\":\"No such container: airlock-x\"}\n";
		try (var engine = new FakeEngine(folder, connection -> {
			readRequestHead(connection);
			write(connection, "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: "
					+ body.length() + "\r\n\r\n" + body);
		}); var connection = EngineConnection.open(engine.settings(Duration.ofSeconds(5)))) {
			connection.send("GET", "/containers/airlock-x/json", Map.of());
			var response = connection.readResponse();

			assertThat(response.status()).isEqualTo(404);
			assertThat(connection.errorMessage(response)).isEqualTo("No such container: airlock-x");
		}
	}

	@Test
	void aSilentEngineTimesOutTheRead() throws Exception {
		try (var engine = new FakeEngine(folder, FakeEngine.SILENT);
				var connection = EngineConnection.open(engine.settings(Duration.ofMillis(300)))) {
			connection.send("GET", "/containers/x/stats", Map.of());

			assertTimeoutPreemptively(LIVENESS,
					() -> assertThatThrownBy(connection::readResponse).isInstanceOf(SocketTimeoutException.class)
						.hasMessageContaining("stalled for over 300 ms"));
		}
	}

	@Test
	void anEngineThatNeverReadsTimesOutTheWrite() throws Exception {
		try (var engine = new FakeEngine(folder, FakeEngine.SILENT);
				var connection = EngineConnection.open(engine.settings(Duration.ofMillis(300)))) {
			connection.send("POST", "/containers/x/attach?stream=1&stdin=1",
					Map.of("Connection", "Upgrade", "Upgrade", "tcp"));
			var body = connection.body();
			var block = new byte[64 * 1024];

			assertTimeoutPreemptively(LIVENESS, () -> assertThatThrownBy(() -> {
				// 64 MiB: far more than the socket buffers hold
				for (int i = 0; i < 1024; i++) {
					body.write(block);
				}
			}).isInstanceOf(SocketTimeoutException.class));
		}
	}

	@Test
	void theDeadlineIsForEachReadNotTheWholeAnswer() throws Exception {
		try (var engine = new FakeEngine(folder, connection -> {
			readRequestHead(connection);
			write(connection, "HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\n");
			for (var piece : "trickled".split("")) {
				Thread.sleep(100); // the engine is slow, not stalled
				write(connection, piece);
			}
		}); var connection = EngineConnection.open(engine.settings(Duration.ofMillis(500)))) {
			connection.send("GET", "/containers/x/archive", Map.of());
			var response = connection.readResponse();

			assertThat(new String(connection.responseBody(response).readAllBytes(), StandardCharsets.US_ASCII))
				.isEqualTo("trickled");
		}
	}

	@Test
	void aLongerIdleTimeoutLetsALongSilenceThrough() throws Exception {
		try (var engine = new FakeEngine(folder, connection -> {
			readRequestHead(connection);
			write(connection, "HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\n\r\n");
			Thread.sleep(1000); // an exec that prints nothing for a while
			write(connection, "done");
			connection.close();
		}); var connection = EngineConnection.open(engine.settings(Duration.ofMillis(200)))) {
			connection.send("POST", "/exec/x/start", Map.of());
			var response = connection.readResponse();
			connection.idleTimeout(Duration.ofSeconds(10));

			assertThat(new String(connection.responseBody(response).readAllBytes(), StandardCharsets.US_ASCII))
				.isEqualTo("done");
		}
	}

	@Test
	void closingTheConnectionIsNotMistakenForATimeout() throws Exception {
		try (var engine = new FakeEngine(folder, FakeEngine.SILENT);
				var connection = EngineConnection.open(engine.settings(Duration.ofSeconds(30)))) {
			connection.send("GET", "/events", Map.of());
			var reading = CompletableFuture.supplyAsync(() -> {
				try {
					return connection.readResponse();
				}
				catch (IOException e) {
					throw new UncheckedIOException(e);
				}
			});

			connection.close();

			assertTimeoutPreemptively(LIVENESS,
					() -> assertThatThrownBy(reading::join).rootCause()
						.as("closed, not timed out: AsynchronousCloseException is a ClosedChannelException")
						.isInstanceOf(ClosedChannelException.class));
		}
	}

}
