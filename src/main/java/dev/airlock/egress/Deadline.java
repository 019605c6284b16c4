package dev.airlock.egress;

import java.time.Duration;

import dev.airlock.runtime.EgressConnection;

/**
 * Ends a sandbox's connection when what it owes does not come in time (a request head, a
 * refused client's hang-up); closing the deadline, once it came, calls it off.
 */
final class Deadline implements AutoCloseable {

	private final Thread timer;

	private Deadline(Thread timer) {
		this.timer = timer;
	}

	/** Closes {@code connection} {@code after} from now, unless called off first. */
	static Deadline closing(EgressConnection connection, Duration after) {
		return new Deadline(Thread.ofVirtual().name("egress-deadline-" + connection.sandboxId()).start(() -> {
			try {
				Thread.sleep(after);
				connection.close();
			}
			catch (InterruptedException e) {
				// called off
			}
		}));
	}

	@Override
	public void close() {
		timer.interrupt();
	}

}
