package dev.airlock.egress;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.airlock.sandbox.SandboxEvents.SandboxEnded;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * What the gateway holds open for each sandbox — the sandbox's side and the destination's
 * — so that the sandbox's end closes both at once: a destination that stays silent would
 * otherwise keep its socket and threads until the idle timeout.
 */
@Component
class OpenConnections {

	private final ConcurrentHashMap<String, Set<Held>> bySandbox = new ConcurrentHashMap<>();

	/** Holds {@code side} for {@code sandboxId} until the returned handle is closed. */
	Held hold(String sandboxId, Closeable side) {
		var held = new Held(sandboxId);
		held.add(side);
		bySandbox.computeIfAbsent(sandboxId, id -> ConcurrentHashMap.newKeySet()).add(held);
		return held;
	}

	@TransactionalEventListener(fallbackExecution = true)
	void on(SandboxEnded ended) {
		var open = bySandbox.remove(ended.sandboxId());
		if (open != null) {
			open.forEach(Held::closeAll);
		}
	}

	/**
	 * One connection's sides; closing the handle forgets them (their owner closes them).
	 */
	final class Held implements AutoCloseable {

		private final String sandboxId;

		private final List<Closeable> sides = new CopyOnWriteArrayList<>();

		Held(String sandboxId) {
			this.sandboxId = sandboxId;
		}

		void add(Closeable side) {
			sides.add(side);
		}

		void closeAll() {
			for (var side : sides) {
				try {
					side.close();
				}
				catch (IOException | RuntimeException e) {
					// closing is all that was wanted
				}
			}
		}

		@Override
		public void close() {
			bySandbox.computeIfPresent(sandboxId, (id, set) -> {
				set.remove(this);
				return set.isEmpty() ? null : set;
			});
		}

	}

}
