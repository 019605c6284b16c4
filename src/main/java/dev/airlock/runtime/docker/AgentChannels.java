package dev.airlock.runtime.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import dev.airlock.runtime.ContainerEvent;
import dev.airlock.runtime.ContainerNotRunning;
import dev.airlock.runtime.RuntimeError;
import dev.airlock.runtime.agent.AgentSession;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * One agent session per running sandbox, over the container's attached stdio through the
 * Engine API: nothing but the engine's socket is needed, so it works with network NONE,
 * from inside a container and against a remote engine. Sessions are opened on first use
 * and by {@link AgentWatch} (after a restart of Airlock or of the engine); an agent that
 * goes silent or breaks the protocol is reported as
 * {@link ContainerEvent.Type#AGENT_LOST}.
 */
@Component
class AgentChannels {

	/** How long the attach and the handshake may take. */
	static final Duration HANDSHAKE = Duration.ofSeconds(5);

	/**
	 * How long one read or write on an established session may block: the agent speaks
	 * twice a second, so a read this long means the connection is dead.
	 */
	static final Duration IDLE = Duration.ofSeconds(10);

	private static final Logger log = LoggerFactory.getLogger(AgentChannels.class);

	private final DockerSettings settings;

	private final ConcurrentHashMap<String, Channel> channels = new ConcurrentHashMap<>();

	private final List<Consumer<ContainerEvent>> listeners = new CopyOnWriteArrayList<>();

	private final @Nullable EgressTunnels egress;

	@Autowired
	AgentChannels(DockerSettings settings, @Nullable EgressTunnels egress) {
		this.settings = settings;
		this.egress = egress;
	}

	/** Without egress: a sandbox's proxy port is never served. */
	AgentChannels(DockerSettings settings) {
		this(settings, null);
	}

	/** The sandbox's session, connecting (or reconnecting) when there is none. */
	AgentSession session(String sandboxId) {
		var channel = channels.computeIfAbsent(sandboxId, Channel::new);
		var session = channel.session;
		if (session != null && session.alive()) {
			return session;
		}
		synchronized (channel) {
			session = channel.session;
			if (session != null && session.alive()) {
				return session;
			}
			return connect(channel, true);
		}
	}

	/**
	 * Connects to the agent of a container just started: nothing came before, so no flush
	 * is needed (unless someone connected meanwhile, which the channel remembers).
	 */
	AgentSession connectFresh(String sandboxId) {
		var channel = channels.computeIfAbsent(sandboxId, Channel::new);
		synchronized (channel) {
			var session = channel.session;
			if (session != null && session.alive()) {
				return session;
			}
			return connect(channel, false);
		}
	}

	/**
	 * Whether the container's main command is known to have exited (the agent said so).
	 */
	boolean mainExited(String sandboxId) {
		var channel = channels.get(sandboxId);
		return channel != null && channel.mainExit != null;
	}

	/** Whether a session with this sandbox's agent ever stood in this process. */
	boolean known(String sandboxId) {
		var channel = channels.get(sandboxId);
		return channel != null && channel.connected;
	}

	void forget(String sandboxId) {
		var channel = channels.remove(sandboxId);
		if (channel != null) {
			channel.forgotten = true;
			var session = channel.session;
			if (session != null) {
				session.close();
			}
		}
	}

	Map<String, Channel> channels() {
		return channels;
	}

	AutoCloseable listen(Consumer<ContainerEvent> listener) {
		listeners.add(listener);
		return () -> listeners.remove(listener);
	}

	void report(String sandboxId, String detail) {
		var event = new ContainerEvent(sandboxId, ContainerEvent.Type.AGENT_LOST, null, detail);
		for (var listener : listeners) {
			try {
				listener.accept(event);
			}
			catch (RuntimeException e) {
				log.warn("An agent-lost listener failed for {}: {}", sandboxId, e.getMessage());
			}
		}
	}

	private AgentSession connect(Channel channel, boolean flush) {
		var sandboxId = channel.sandboxId;
		EngineConnection connection = null;
		var handedOver = false;
		try {
			connection = EngineConnection.open(settings);
			connection.idleTimeout(
					HANDSHAKE.compareTo(settings.responseTimeout()) < 0 ? HANDSHAKE : settings.responseTimeout());
			connection.send("POST",
					"/containers/" + DockerNames.container(sandboxId) + "/attach?stream=1&stdin=1&stdout=1&stderr=1",
					Map.of("Connection", "Upgrade", "Upgrade", "tcp", "Content-Length", "0"));
			var response = connection.readResponse();
			if (response.status() == 404 || response.status() == 409) {
				throw new ContainerNotRunning(sandboxId);
			}
			if (response.status() != 101 && response.status() != 200) {
				throw new RuntimeError("Docker refused to attach to the sandbox (HTTP " + response.status() + "): "
						+ connection.errorMessage(response), null);
			}
			var output = new AttachedOutput(connection.responseBody(response), sandboxId);
			var session = AgentSession.open(sandboxId, output, connection.body(), connection,
					flush || channel.connected, channel);
			connection.idleTimeout(IDLE);
			handedOver = true;
			channel.session = session;
			channel.connected = true;
			channel.takenOver = false;
			log.debug("Connected to the agent of {} ({})", sandboxId, session.agentVersion());
			if (egress != null) {
				egress.serve(sandboxId, session);
			}
			return session;
		}
		catch (IOException e) {
			throw DockerErrors.translate("connect to the sandbox's agent", new UncheckedIOException(e));
		}
		catch (ContainerNotRunning | RuntimeError e) {
			throw e;
		}
		catch (RuntimeException e) { // a violation in the handshake, a bad address
			throw DockerErrors.translate("connect to the sandbox's agent", e);
		}
		finally {
			if (!handedOver && connection != null) {
				connection.close();
			}
		}
	}

	/** What is known about one sandbox's agent. */
	final class Channel implements AgentSession.Listener {

		final String sandboxId;

		volatile @Nullable AgentSession session;

		/** Whether a session ever stood: later connects must flush first. */
		volatile boolean connected;

		volatile @Nullable Integer mainExit;

		volatile boolean forgotten;

		/** The container is not running: no point reconnecting. */
		volatile boolean stopped;

		/** Another connection took the agent over: reconnect on use only. */
		volatile boolean takenOver;

		Channel(String sandboxId) {
			this.sandboxId = sandboxId;
		}

		@Override
		public void mainExited(int exitCode, int signal) {
			mainExit = exitCode;
		}

		@Override
		public void ended(String reason, AgentSession.Ending ending) {
			if (forgotten) {
				return;
			}
			// taken over: whoever took it watches it; this side reconnects only when it
			// needs the agent, so two processes never take it from each other in a loop
			takenOver = ending == AgentSession.Ending.TAKEN_OVER;
			if (ending == AgentSession.Ending.AGENTS_FAULT) {
				log.warn("The agent of {} is lost: {}", sandboxId, reason);
				report(sandboxId, reason);
			}
			else {
				log.debug("The session with the agent of {} ended: {}", sandboxId, reason);
			}
		}

	}

}
