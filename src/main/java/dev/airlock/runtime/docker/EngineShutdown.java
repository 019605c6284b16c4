package dev.airlock.runtime.docker;

import java.io.IOException;
import java.util.Map;

/**
 * Tells, on one stream of the engine's events, a container that died because its engine
 * is shutting down from one that died for any other reason. dockerd's shutdown closes its
 * API listener before it stops a single container (without live-restore it then stops
 * every one: the stop signal, then SIGKILL), while a stream of events already open keeps
 * delivering their die events until the process exits. So a die that arrives while the
 * engine takes no new request is its engine's doing; a main process's own exit, a
 * {@code docker stop} or Airlock's removal (a SIGKILL) arrive while it still answers.
 * This rests on the order of dockerd's shutdown, not on a time window (only a reader that
 * falls seconds behind the stream, until a new dockerd answers, would miss it). Once the
 * engine has been found going down, every later die on the same stream is the shutdown's
 * too: the same process never listens again.
 * <p>
 * An engine whose socket another process holds (systemd's socket activation) accepts
 * connections across its restart and answers none until the new process runs: there the
 * sign is no answer within the connect timeout, well before a new dockerd can answer. The
 * price: an engine so overloaded that it answers no ping for that long while it still
 * reports deaths would have them, for the rest of that stream, taken for a shutdown.
 */
final class EngineShutdown {

	private final DockerSettings settings;

	private volatile boolean underway;

	EngineShutdown(DockerSettings settings) {
		this.settings = settings;
	}

	/** Whether the engine that just reported a container's death is shutting down. */
	boolean underway() {
		if (!underway && !answers()) {
			underway = true;
		}
		return underway;
	}

	/**
	 * A ping on a connection of its own: a shutting-down dockerd still serves the
	 * connections it had (a client's pooled ones) to the end.
	 */
	private boolean answers() {
		try (var connection = EngineConnection.open(settings)) {
			connection.idleTimeout(settings.connectTimeout());
			connection.send("GET", "/_ping", Map.of());
			connection.readResponse(); // whatever it says: it answers
			return true;
		}
		catch (IOException refusedOrSilent) {
			return false;
		}
	}

}
