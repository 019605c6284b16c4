package dev.airlock.runtime.docker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.Semaphore;

import dev.airlock.runtime.EgressConnection;
import dev.airlock.runtime.EgressHandler;
import dev.airlock.runtime.SandboxBusy;
import dev.airlock.runtime.agent.AgentSession;
import dev.airlock.runtime.agent.AgentTunnel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Takes the connections a sandbox's processes open to its agent's proxy port, for as long
 * as a session with the agent stands, and hands each to the {@link EgressHandler}. At
 * most {@code max-connections-per-sandbox} are open or waiting at once; beyond, the agent
 * accepts nothing more and new connections wait in the sandbox's own listen backlog, so a
 * connection flood costs Airlock nothing.
 */
@Component
class EgressTunnels {

	/**
	 * Accepts kept waiting in the agent, so a connection is taken without a round trip.
	 */
	static final int WAITING = 4;

	/** The sandbox's bytes in flight per connection before it must wait for Airlock. */
	static final int WINDOW = 256 * 1024;

	/**
	 * How long to wait before asking again an agent that refused an accept (out of
	 * files), or a session serving all the calls it can (execs, transfers, tunnels): a
	 * connection waits meanwhile in the sandbox's backlog.
	 */
	static final Duration RETRY = Duration.ofSeconds(1);

	private static final Logger log = LoggerFactory.getLogger(EgressTunnels.class);

	private final ObjectProvider<EgressHandler> handler;

	private final int maxConnections;

	EgressTunnels(ObjectProvider<EgressHandler> handler,
			@Value("${airlock.egress.max-connections-per-sandbox:32}") int maxConnections) {
		this.handler = handler;
		this.maxConnections = Math.max(1, maxConnections);
	}

	/**
	 * Serves the session's proxy port, when its agent has one, until the session ends.
	 */
	void serve(String sandboxId, AgentSession session) {
		if (session.egressPort() == 0) {
			return;
		}
		var slots = new Semaphore(maxConnections);
		for (int i = 0; i < Math.min(WAITING, maxConnections); i++) {
			Thread.ofVirtual().name("egress-accept-" + sandboxId).start(() -> accept(sandboxId, session, slots));
		}
	}

	private void accept(String sandboxId, AgentSession session, Semaphore slots) {
		while (session.alive()) {
			try {
				slots.acquire();
			}
			catch (InterruptedException e) {
				return;
			}
			AgentTunnel tunnel;
			try {
				tunnel = session.accept(WINDOW);
				tunnel.awaitAccepted();
			}
			catch (RuntimeException e) { // the session ended, is busy, or the agent
											// refused this one
				slots.release();
				if (!session.alive() || !Sleeps.quietly(RETRY)) {
					return;
				}
				if (!(e instanceof SandboxBusy)) { // busy (all its calls taken) is no
													// fault
					log.warn("The agent of {} refused to take an egress connection ({}); trying again", sandboxId,
							e.getMessage());
				}
				continue;
			}
			Thread.ofVirtual().name("egress-" + sandboxId).start(() -> {
				try (var connection = new Tunnel(sandboxId, tunnel)) {
					var gateway = handler.getIfAvailable();
					if (gateway != null) { // else: nobody to decide, so nothing goes out
						gateway.handle(connection);
					}
				}
				catch (RuntimeException e) {
					log.warn("An egress connection of {} failed: {}", sandboxId, e.toString());
				}
				finally {
					slots.release();
				}
			});
		}
	}

	/** An accepted connection, as the egress module sees it. */
	private record Tunnel(String sandboxId, AgentTunnel tunnel) implements EgressConnection {

		@Override
		public InputStream input() {
			return tunnel.input();
		}

		@Override
		public OutputStream output() {
			return tunnel.output();
		}

		@Override
		public void shutdownOutput() throws IOException {
			tunnel.shutdownOutput();
		}

		@Override
		public void close() {
			tunnel.close();
		}

	}

}
