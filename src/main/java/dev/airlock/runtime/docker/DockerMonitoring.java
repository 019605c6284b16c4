package dev.airlock.runtime.docker;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import dev.airlock.runtime.ContainerEvent;
import dev.airlock.runtime.ContainerLabels;
import dev.airlock.runtime.ContainerMonitoring;
import dev.airlock.runtime.ContainerNotRunning;
import dev.airlock.runtime.ContainerStats;
import dev.airlock.runtime.ContainerUsage;
import dev.airlock.runtime.ExecOutput;
import dev.airlock.runtime.RuntimeError;
import dev.airlock.runtime.agent.AgentLogs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Usage samples, logs and the event stream. Logs and events go through docker-java; stats
 * stay on the raw Engine API (see {@link #stats}).
 */
@Component
class DockerMonitoring implements ContainerMonitoring {

	private static final Logger log = LoggerFactory.getLogger(DockerMonitoring.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Duration RECONNECT = Duration.ofSeconds(1);

	private final DockerClient docker;

	private final DockerSettings settings;

	private final CgroupCounters cgroups;

	private final AgentChannels channels;

	DockerMonitoring(DockerClient docker, DockerSettings settings, CgroupCounters cgroups, AgentChannels channels) {
		this.channels = channels;
		this.docker = docker;
		this.settings = settings;
		this.cgroups = cgroups;
	}

	/**
	 * One sample, without waiting for a second: {@code one-shot=true}. docker-java
	 * 3.7.1's StatsCmd cannot ask for it, and its {@code stream=false} makes the engine
	 * wait for a second sample (1-2 s here), too slow for a watchdog that samples every
	 * sandbox every second; hence the raw request, which also gets EngineConnection's
	 * deadline where docker-java's response timeout would not reach a Unix socket's
	 * reads.
	 */
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

	/**
	 * From the cgroup files when readable; the container's id is resolved once (one
	 * inspect) and kept. Falls back to the stats API where they are not.
	 */
	@Override
	public ContainerUsage usage(String sandboxId) {
		return cgroups.usage(sandboxId, () -> containerId(sandboxId))
			.orElseGet(() -> ContainerUsage.of(stats(sandboxId)));
	}

	private String containerId(String sandboxId) {
		return getJson(sandboxId, "/containers/" + DockerNames.container(sandboxId) + "/json").path("Id").asString();
	}

	@Override
	public String logs(String sandboxId, int tail, int maxBytes) {
		return AgentLogs.tail(channels.session(sandboxId), tail, maxBytes);
	}

	@Override
	public void followLogs(String sandboxId, int tail, int maxBytes, ExecOutput output) {
		AgentLogs.follow(channels.session(sandboxId), tail, maxBytes, output);
	}

	/**
	 * Follows die, oom and destroy events of Airlock's containers, reconnecting after the
	 * engine goes away (from the last event's second, so none is missed), and the agents'
	 * losses; a listener failure never stops the stream. A die while the engine is
	 * shutting down is {@link ContainerEvent.Type#ENGINE_STOPPED}
	 * ({@link EngineShutdown}).
	 */
	@Override
	public AutoCloseable watch(Consumer<ContainerEvent> listener) {
		var closed = new AtomicBoolean();
		var current = new AtomicReference<StreamCallback<Event>>();
		var since = new AtomicLong(Instant.now().getEpochSecond());
		var thread = Thread.ofVirtual().name("docker-events").start(() -> {
			while (!closed.get()) {
				var shutdown = new EngineShutdown(settings);
				var callback = new StreamCallback<Event>() {
					@Override
					public void onStart(Closeable stream) {
						super.onStart(stream);
						log.info("Following Docker events");
					}

					@Override
					void next(Event event) {
						if (event.getTime() != null) {
							since.accumulateAndGet(event.getTime(), Math::max);
						}
						toContainerEvent(event)
							.map(e -> e.type() == ContainerEvent.Type.DIED && shutdown.underway() ? new ContainerEvent(
									e.sandboxId(), ContainerEvent.Type.ENGINE_STOPPED, e.exitCode()) : e)
							.ifPresent(e -> deliver(listener, e));
					}
				};
				current.set(callback);
				try (callback) {
					if (closed.get()) {
						return; // closed between the check and the subscription
					}
					docker.eventsCmd()
						.withSince(String.valueOf(since.get()))
						.withEventTypeFilter(EventType.CONTAINER)
						.withEventFilter("die", "oom", "destroy")
						.withLabelFilter(Map.of(ContainerLabels.MANAGED, "true"))
						.exec(callback);
					callback.awaitCompletion();
					callback.rethrow();
				}
				catch (InterruptedException e) {
					return; // closed
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
		var agents = channels.listen(listener);
		return () -> {
			closed.set(true);
			agents.close();
			var callback = current.get();
			if (callback != null) {
				callback.stop();
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

	private static Optional<ContainerEvent> toContainerEvent(Event event) {
		var attributes = event.getActor() == null || event.getActor().getAttributes() == null ? Map.<String, String>of()
				: event.getActor().getAttributes();
		var sandboxId = attributes.getOrDefault(ContainerLabels.SANDBOX_ID, "");
		if (sandboxId.isEmpty() || event.getAction() == null) {
			return Optional.empty();
		}
		var type = switch (event.getAction()) {
			case "die" -> ContainerEvent.Type.DIED;
			case "oom" -> ContainerEvent.Type.OOM;
			case "destroy" -> ContainerEvent.Type.DESTROYED;
			default -> null;
		};
		if (type == null) {
			return Optional.empty();
		}
		return Optional.of(new ContainerEvent(sandboxId, type, exitCode(attributes.get("exitCode"))));
	}

	private static Long exitCode(String attribute) {
		try {
			return attribute == null ? null : Long.valueOf(attribute);
		}
		catch (NumberFormatException e) {
			return null;
		}
	}

	private JsonNode getJson(String sandboxId, String path) {
		try (var connection = EngineConnection.open(settings)) {
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
