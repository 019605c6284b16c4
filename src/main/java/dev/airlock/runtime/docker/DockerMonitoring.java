package dev.airlock.runtime.docker;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import dev.airlock.runtime.ContainerEvent;
import dev.airlock.runtime.ContainerLabels;
import dev.airlock.runtime.ContainerMonitoring;
import dev.airlock.runtime.ContainerNotRunning;
import dev.airlock.runtime.ContainerStats;
import dev.airlock.runtime.RuntimeError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Usage samples, logs and the event stream, read straight off the Engine API. */
@Component
class DockerMonitoring implements ContainerMonitoring {

	private static final Logger log = LoggerFactory.getLogger(DockerMonitoring.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Duration RECONNECT = Duration.ofSeconds(1);

	private final DockerSettings settings;

	private final CgroupCounters cgroups;

	DockerMonitoring(DockerSettings settings, CgroupCounters cgroups) {
		this.settings = settings;
		this.cgroups = cgroups;
	}

	@Override
	public ContainerStats stats(String sandboxId) {
		var container = DockerNames.container(sandboxId);
		var json = getJson(sandboxId, "/containers/" + container + "/stats?stream=false&one-shot=true");
		var sampled = System.nanoTime();
		long rx = 0;
		long tx = 0;
		for (var network : json.path("networks")) {
			rx += network.path("rx_bytes").asLong();
			tx += network.path("tx_bytes").asLong();
		}
		return new ContainerStats(json.path("cpu_stats").path("cpu_usage").path("total_usage").asLong(),
				json.path("memory_stats").path("usage").asLong(), json.path("memory_stats").path("limit").asLong(),
				json.path("pids_stats").path("current").asLong(), json.path("pids_stats").path("limit").asLong(), rx,
				tx, cgroups.pidsLimitHits(json.path("id").asString("")).orElse(-1), sampled);
	}

	@Override
	public String logs(String sandboxId, int tail, int maxBytes) {
		var container = DockerNames.container(sandboxId);
		try (var connection = EngineConnection.open(settings.host(), settings.connectTimeout())) {
			connection.send("GET", "/containers/" + container + "/logs?stdout=1&stderr=1&tail=" + tail, Map.of());
			var response = connection.readResponse();
			if (response.status() != 200) {
				throw failure(sandboxId, response.status(), connection.errorMessage(response));
			}
			var out = new ByteArrayOutputStream();
			MultiplexedStream.read(connection.responseBody(response), (stream, buffer, length) -> {
				out.write(buffer, 0, Math.min(length, maxBytes - out.size()));
				return out.size() < maxBytes;
			});
			return out.toString(StandardCharsets.UTF_8);
		}
		catch (IOException e) {
			throw DockerErrors.translate("read logs", new UncheckedIOException(e));
		}
	}

	@Override
	public AutoCloseable watch(Consumer<ContainerEvent> listener) {
		var closed = new AtomicBoolean();
		var current = new AtomicReference<EngineConnection>();
		var filters = "{\"type\":[\"container\"],\"event\":[\"die\",\"oom\",\"destroy\"],\"label\":[\""
				+ ContainerLabels.MANAGED + "=true\"]}";
		var thread = Thread.ofVirtual().name("docker-events").start(() -> {
			long since = Instant.now().getEpochSecond();
			while (!closed.get()) {
				try (var connection = EngineConnection.open(settings.host(), settings.connectTimeout())) {
					current.set(connection);
					connection.send("GET",
							"/events?since=" + since + "&filters=" + URLEncoder.encode(filters, StandardCharsets.UTF_8),
							Map.of());
					var response = connection.readResponse();
					if (response.status() != 200) {
						throw new IOException("HTTP " + response.status() + ": " + connection.errorMessage(response));
					}
					log.info("Following Docker events");
					var lines = new BufferedReader(
							new InputStreamReader(connection.responseBody(response), StandardCharsets.UTF_8));
					String line;
					while ((line = lines.readLine()) != null) {
						if (line.isBlank()) {
							continue;
						}
						var event = JSON.readTree(line);
						since = Math.max(since, event.path("time").asLong(since));
						toContainerEvent(event).ifPresent(e -> deliver(listener, e));
					}
				}
				catch (IOException | RuntimeException e) {
					if (!closed.get()) {
						log.warn("Docker events interrupted ({}); reconnecting", e.getMessage());
					}
				}
				if (!closed.get()) {
					try {
						Thread.sleep(RECONNECT);
					}
					catch (InterruptedException e) {
						return;
					}
				}
			}
		});
		return () -> {
			closed.set(true);
			var connection = current.get();
			if (connection != null) {
				connection.close();
			}
			thread.interrupt();
		};
	}

	private static void deliver(Consumer<ContainerEvent> listener, ContainerEvent event) {
		try {
			listener.accept(event);
		}
		catch (RuntimeException e) {
			log.warn("Handling {} failed: {}", event, e.getMessage());
		}
	}

	private static Optional<ContainerEvent> toContainerEvent(JsonNode event) {
		var attributes = event.path("Actor").path("Attributes");
		var sandboxId = attributes.path(ContainerLabels.SANDBOX_ID).asString("");
		if (sandboxId.isEmpty()) {
			return Optional.empty();
		}
		var type = switch (event.path("Action").asString("")) {
			case "die" -> ContainerEvent.Type.DIED;
			case "oom" -> ContainerEvent.Type.OOM;
			case "destroy" -> ContainerEvent.Type.DESTROYED;
			default -> null;
		};
		if (type == null) {
			return Optional.empty();
		}
		var exitCode = attributes.has("exitCode") ? Long.valueOf(attributes.path("exitCode").asLong()) : null;
		return Optional.of(new ContainerEvent(sandboxId, type, exitCode));
	}

	private JsonNode getJson(String sandboxId, String path) {
		try (var connection = EngineConnection.open(settings.host(), settings.connectTimeout())) {
			connection.send("GET", path, Map.of());
			var response = connection.readResponse();
			if (response.status() != 200) {
				throw failure(sandboxId, response.status(), connection.errorMessage(response));
			}
			return JSON.readTree(connection.responseBody(response));
		}
		catch (IOException e) {
			throw DockerErrors.translate("read stats", new UncheckedIOException(e));
		}
	}

	private static RuntimeException failure(String sandboxId, int status, String message) {
		return status == 404 || status == 409 ? new ContainerNotRunning(sandboxId)
				: new RuntimeError("Docker answered HTTP " + status + ": " + message, null);
	}

}
