package dev.airlock.runtime.docker;

import java.time.Duration;

/** Waiting that an interrupt ends early: the interrupt is kept for the caller to see. */
final class Sleeps {

	private Sleeps() {
	}

	/**
	 * @return true when the full time passed, false when interrupted
	 */
	static boolean quietly(Duration duration) {
		try {
			Thread.sleep(duration);
			return true;
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
