package dev.airlock.runtime.docker;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

/**
 * Tells, on one stream of the engine's events, a container that died because its engine
 * is shutting down from one that died for any other reason. dockerd's shutdown closes its
 * API listener before it stops a single container (without live-restore it then stops
 * every one: the stop signal, then SIGKILL), while a stream of events already open keeps
 * delivering their die events until the process exits. So a die that arrives while the
 * engine takes no new request is its engine's doing; a main process's own exit, a
 * {@code docker stop} or Airlock's removal (a SIGKILL) arrive while it still answers.
 * This rests on the order of dockerd's shutdown, not on a time window (only a reader that
 * falls seconds behind the stream, until a new dockerd answers, would miss it). Each die
 * asks again: a refused connection costs nothing, and one ping that failed says nothing
 * of the deaths after the engine answers again.
 * <p>
 * An engine whose socket another process holds (systemd's socket activation) accepts
 * connections across its restart and answers none until the new process runs: there the
 * sign is no answer within the connect timeout. That ping stays open, and every die until
 * it is answered (by the new process, or by an engine that was only overloaded) is taken
 * for the shutdown without another wait, so that the reader does not fall behind. The
 * price: an engine so overloaded that it answers no ping for the connect timeout while it
 * still reports deaths has them taken for a shutdown until it answers that ping.
 */
final class EngineShutdown {

	private final DockerSettings settings;

	/** A ping the engine has not answered within the connect timeout, still waiting. */
	private @Nullable CompletableFuture<Boolean> unanswered;

	EngineShutdown(DockerSettings settings) {
		this.settings = settings;
	}

	/** Whether the engine that just reported a container's death is shutting down. */
	synchronized boolean underway() {
		if (unanswered != null && !unanswered.isDone()) {
			return true;
		}
		unanswered = null;
		var ping = CompletableFuture.supplyAsync(this::answers, Thread::startVirtualThread);
		try {
			return !ping.get(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException silent) {
			unanswered = ping;
			return true;
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			ping.cancel(true);
			return false; // the watch is closing; the die is delivered as it came
		}
		catch (ExecutionException e) {
			return true; // an Error in the ping: no answer either
		}
	}

	/**
	 * A ping on a connection of its own: a shutting-down dockerd still serves the
	 * connections it had (a client's pooled ones) to the end. Waits for the answer up to
	 * the response timeout.
	 */
	private boolean answers() {
		try (var connection = EngineConnection.open(settings)) {
			connection.send("GET", "/_ping", Map.of());
			connection.readResponse(); // whatever it says: it answers
			return true;
		}
		catch (IOException | RuntimeException refusedOrSilent) {
			// a RuntimeException too (an address that no longer resolves): no answer
			return false;
		}
	}

}
