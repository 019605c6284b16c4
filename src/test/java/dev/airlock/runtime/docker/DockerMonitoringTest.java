package dev.airlock.runtime.docker;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.dockerjava.api.DockerClient;
import dev.airlock.runtime.ContainerEvent;
import dev.airlock.runtime.ContainerNotRunning;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.airlock.runtime.docker.FakeEngine.readRequestHead;
import static dev.airlock.runtime.docker.FakeEngine.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Logs and the event stream through docker-java, against a fake engine that can end
 * streams and answer errors at will.
 */
class DockerMonitoringTest {

	@TempDir
	Path folder;

	FakeEngine engine;

	DockerClient docker;

	@AfterEach
	void stop() throws IOException {
		if (docker != null) {
			docker.close();
		}
		if (engine != null) {
			engine.close();
		}
	}

	@Test
	void eventsResumeFromTheLastEventAfterTheEngineEndsTheStream() throws Exception {
		var requests = new CopyOnWriteArrayList<String>();
		var connections = new AtomicInteger();
		var now = Instant.now().getEpochSecond(); // the watch starts from now

		var monitoring = monitoring(connection -> {
			var request = URLDecoder.decode(readRequestHead(connection), StandardCharsets.UTF_8);
			if (answeredPing(connection, request)) {
				return;
			}
			requests.add(request);
			write(connection,
					"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
			if (connections.incrementAndGet() == 1) {
				chunk(connection, event("die", "sb1", now + 1, "3"));
				// not one of Airlock's sandboxes: ignored
				chunk(connection, event("die", null, now + 2, "0"));
				chunk(connection, event("oom", "sb2", now + 3, null));
				write(connection, "0\r\n\r\n"); // the engine went away
				connection.close();
			}
			else {
				chunk(connection, event("destroy", "sb1", now + 4, null));
			}
		});
		var received = new CopyOnWriteArrayList<ContainerEvent>();

		try (var watch = monitoring.watch(event -> {
			received.add(event);
			throw new IllegalStateException("a listener that fails");
		})) {
			await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 3);

			assertThat(received).containsExactly(new ContainerEvent("sb1", ContainerEvent.Type.DIED, 3L),
					new ContainerEvent("sb2", ContainerEvent.Type.OOM, null),
					new ContainerEvent("sb1", ContainerEvent.Type.DESTROYED, null));
			assertThat(requests.getFirst()).contains("/events?")
				.contains("\"type\":[\"container\"]")
				.contains("\"event\":[\"die\",\"oom\",\"destroy\"]")
				.contains("\"label\":[\"airlock.managed=true\"]");
			assertThat(requests.get(1)).as("resumed from the last event seen").contains("since=" + (now + 3));
		}
	}

	@Test
	void aDieWhileTheEngineTakesNoNewConnectionIsTheEngineStoppingTheContainer() throws Exception {
		var now = Instant.now().getEpochSecond();
		var streaming = new CountDownLatch(1);
		var shuttingDown = new CountDownLatch(1);
		var monitoring = monitoring(connection -> {
			var request = readRequestHead(connection);
			if (answeredPing(connection, request)) {
				return;
			}
			write(connection,
					"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
			// a main process that exits while the engine answers
			chunk(connection, event("die", "sb1", now, "3"));
			streaming.countDown();
			shuttingDown.await();
			// dockerd's shutdown: the listener closed first, then every container stopped
			chunk(connection, event("die", "sb2", now + 1, "143"));
			chunk(connection, event("die", "sb3", now + 1, "0"));
		});
		var received = new CopyOnWriteArrayList<ContainerEvent>();

		try (var watch = monitoring.watch(received::add)) {
			streaming.await();
			await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
			engine.stopListening();
			shuttingDown.countDown();
			await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 3);

			assertThat(received).containsExactly(new ContainerEvent("sb1", ContainerEvent.Type.DIED, 3L),
					new ContainerEvent("sb2", ContainerEvent.Type.ENGINE_STOPPED, 143L),
					new ContainerEvent("sb3", ContainerEvent.Type.ENGINE_STOPPED, 0L));
		}
	}

	@Test
	void onePingThatFailedSaysNothingOfTheDeathsAfterTheEngineAnswersAgain() throws Exception {
		var now = Instant.now().getEpochSecond();
		var pings = new AtomicInteger();
		var firstDeathHandled = new CountDownLatch(1);
		var monitoring = monitoring(connection -> {
			var request = readRequestHead(connection);
			if (request.startsWith("GET /_ping") && pings.incrementAndGet() == 1) {
				connection.close(); // one ping lost: a full accept backlog, a dropped
									// connection
				return;
			}
			if (answeredPing(connection, request)) {
				return;
			}
			write(connection,
					"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
			chunk(connection, event("die", "sb1", now, "137"));
			firstDeathHandled.await();
			chunk(connection, event("die", "sb2", now + 1, "3"));
			chunk(connection, event("die", "sb3", now + 1, "143"));
		});
		var received = new CopyOnWriteArrayList<ContainerEvent>();

		try (var watch = monitoring.watch(received::add)) {
			await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
			firstDeathHandled.countDown();
			await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 3);

			assertThat(received).containsExactly(new ContainerEvent("sb1", ContainerEvent.Type.ENGINE_STOPPED, 137L),
					new ContainerEvent("sb2", ContainerEvent.Type.DIED, 3L),
					new ContainerEvent("sb3", ContainerEvent.Type.DIED, 143L));
		}
	}

	@Test
	void logsOfAMissingContainerMeanItIsNotRunning() throws Exception {
		var body = "{\"message\":\"No such container: airlock-sb1\"}";
		var monitoring = monitoring(connection -> {
			readRequestHead(connection);
			write(connection, "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: "
					+ body.length() + "\r\n\r\n" + body);
		});

		assertThatThrownBy(() -> monitoring.logs("sb1", 10, 1000)).isInstanceOf(ContainerNotRunning.class);
	}

	private DockerMonitoring monitoring(FakeEngine.Handler handler) throws IOException {
		engine = new FakeEngine(folder, handler);
		var settings = engine.settings(Duration.ofSeconds(5));
		docker = new DockerRuntimeConfiguration().dockerClient(settings);
		return new DockerMonitoring(docker, settings, new CgroupCounters(settings), new AgentChannels(settings));
	}

	private static String event(String action, String sandboxId, long time, String exitCode) {
		var attributes = new StringBuilder("\"name\":\"c\"");
		if (sandboxId != null) {
			attributes.append(",\"airlock.sandbox-id\":\"").append(sandboxId).append('"');
		}
		if (exitCode != null) {
			attributes.append(",\"exitCode\":\"").append(exitCode).append('"');
		}
		return "{\"Type\":\"container\",\"Action\":\"" + action + "\",\"Actor\":{\"ID\":\"abc\",\"Attributes\":{"
				+ attributes + "}},\"time\":" + time + ",\"timeNano\":" + time + "000000000}\n";
	}

	/** Answers docker-java's {@code GET /_ping}, if that is the request. */
	private static boolean answeredPing(SocketChannel connection, String request) throws IOException {
		if (!request.startsWith("GET /_ping") && !request.contains("/_ping ")) {
			return false;
		}
		write(connection, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nOK");
		return true;
	}

	private static void chunk(SocketChannel connection, String data) throws IOException {
		var bytes = data.getBytes(StandardCharsets.UTF_8);
		write(connection, Integer.toHexString(bytes.length) + "\r\n" + data + "\r\n");
	}

}
