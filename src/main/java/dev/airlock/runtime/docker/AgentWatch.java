package dev.airlock.runtime.docker;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.airlock.core.Deployment;
import dev.airlock.runtime.ContainerLabels;
import dev.airlock.runtime.ContainerNotRunning;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Keeps every running sandbox's agent session up and watched: finds running sandboxes
 * (after a restart of Airlock), reconnects sessions that dropped (after a restart of the
 * engine), and declares an agent lost when its session stays silent past {@link #SILENCE}
 * while its container runs (a stopped or hung agent).
 */
@Component
class AgentWatch implements SmartLifecycle {

	/**
	 * An agent silent this long is lost: it sends a heartbeat every 500 ms, so this is
	 * ten missed in a row — room for a sandbox that starves its own agent of CPU or
	 * memory for a while, which must not cost it its life. (An agent that dies ends its
	 * container at once; nothing inside can stop it: it is the container's init.)
	 */
	static final Duration SILENCE = Duration.ofSeconds(5);

	private static final Duration TICK = Duration.ofMillis(100);

	private static final Duration RECONNECT_EVERY = Duration.ofSeconds(1);

	private static final Duration DISCOVER_EVERY = Duration.ofSeconds(10);

	private static final Logger log = LoggerFactory.getLogger(AgentWatch.class);

	private final AgentChannels channels;

	private final DockerClient docker;

	private final Deployment deployment;

	private final Set<String> busy = ConcurrentHashMap.newKeySet();

	private volatile boolean running;

	private volatile Thread thread;

	AgentWatch(AgentChannels channels, DockerClient docker, Deployment deployment) {
		this.channels = channels;
		this.docker = docker;
		this.deployment = deployment;
	}

	@Override
	public void start() {
		running = true;
		thread = Thread.ofVirtual().name("agent-watch").start(this::loop);
	}

	@Override
	public void stop() {
		running = false;
		var current = thread;
		if (current != null) {
			current.interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	private void loop() {
		long lastTick = System.nanoTime();
		long lastReconnect = 0;
		long lastDiscovery = Long.MIN_VALUE / 2;
		while (running) {
			long now = System.nanoTime();
			// a tick that came late (a pause of this process) says nothing about the
			// agents
			boolean punctual = now - lastTick < TICK.toNanos() * 3;
			lastTick = now;
			try {
				if (now - lastDiscovery >= DISCOVER_EVERY.toNanos()) {
					lastDiscovery = now;
					discover();
				}
				if (now - lastReconnect >= RECONNECT_EVERY.toNanos()) {
					lastReconnect = now;
					reconnect();
				}
				if (punctual) {
					checkSilence();
				}
			}
			catch (RuntimeException e) {
				log.debug("Agent watch: {}", e.getMessage());
			}
			if (!Sleeps.quietly(TICK)) {
				return;
			}
		}
	}

	/**
	 * Connects to the agent of every running sandbox container of this deployment not yet
	 * known. Never another deployment's: connecting to an agent takes its channel over.
	 * (Containers from before deployments were labelled connect on first use.)
	 */
	private void discover() {
		var containers = docker.listContainersCmd()
			.withLabelFilter(Map.of(ContainerLabels.MANAGED, "true", ContainerLabels.DEPLOYMENT, deployment.id()))
			.exec();
		for (var container : containers) {
			var sandboxId = container.getLabels() == null ? null
					: container.getLabels().get(ContainerLabels.SANDBOX_ID);
			if (sandboxId != null && "running".equals(container.getState())
					&& !channels.channels().containsKey(sandboxId)) {
				async(sandboxId, () -> channels.session(sandboxId));
			}
		}
	}

	private void reconnect() {
		channels.channels().forEach((sandboxId, channel) -> {
			var session = channel.session;
			if (!channel.forgotten && !channel.stopped && !channel.takenOver && (session == null || !session.alive())) {
				async(sandboxId, () -> channels.session(sandboxId));
			}
		});
	}

	private void checkSilence() {
		channels.channels().forEach((sandboxId, channel) -> {
			var session = channel.session;
			if (session != null && session.alive() && session.silence().compareTo(SILENCE) > 0) {
				async(sandboxId, () -> {
					// after the inspect, which may itself have waited on a slow engine
					if (containerRuns(sandboxId) && session.silence().compareTo(SILENCE) > 0) {
						session.fail("the agent sent nothing for " + session.silence().toMillis() + " ms");
					}
				});
			}
		});
	}

	private boolean containerRuns(String sandboxId) {
		try {
			var state = docker.inspectContainerCmd(DockerNames.container(sandboxId)).exec().getState();
			return Boolean.TRUE.equals(state.getRunning()) && !Boolean.TRUE.equals(state.getPaused());
		}
		catch (NotFoundException e) {
			return false;
		}
	}

	/** One job per sandbox at a time, off this thread. */
	private void async(String sandboxId, Runnable job) {
		if (!busy.add(sandboxId)) {
			return;
		}
		Thread.ofVirtual().name("agent-watch-" + sandboxId).start(() -> {
			try {
				job.run();
			}
			catch (ContainerNotRunning gone) {
				var channel = channels.channels().get(sandboxId);
				if (channel != null) {
					channel.stopped = true; // kept until the container is removed: its
											// story is needed
				}
			}
			catch (RuntimeException e) {
				log.debug("Agent of {}: {}", sandboxId, e.getMessage());
			}
			finally {
				busy.remove(sandboxId);
			}
		});
	}

}
