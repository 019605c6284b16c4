package dev.airlock.pool;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * How fast refill may go: a token bucket of {@code refill-per-second} starts (at most
 * {@code refill-concurrency} in one pass) and, per pool, a back-off that doubles from one
 * second with each failure in a row up to {@code max-backoff}, reset by a success.
 */
@Component
class RefillPace {

	private final PoolSettings settings;

	private final Clock clock;

	private final ConcurrentHashMap<String, Backoff> backoffs = new ConcurrentHashMap<>();

	private double tokens;

	private Instant filledAt;

	RefillPace(PoolSettings settings, Clock clock) {
		this.settings = settings;
		this.clock = clock;
		this.tokens = settings.refillConcurrency();
		this.filledAt = clock.instant();
	}

	/** How many starts this pass may make. */
	synchronized int available() {
		var now = clock.instant();
		var elapsed = Duration.between(filledAt, now).toNanos() / 1e9;
		filledAt = now;
		tokens = Math.min(Math.max(1, settings.refillPerSecond()), tokens + elapsed * settings.refillPerSecond());
		return (int) Math.min(Math.floor(tokens), settings.refillConcurrency());
	}

	synchronized void spend(int starts) {
		tokens -= starts;
	}

	/** Whether {@code pool}'s back-off is over. */
	boolean mayTry(String pool) {
		var backoff = backoffs.get(pool);
		return backoff == null || !clock.instant().isBefore(backoff.until());
	}

	/** Records a failure; answers how long {@code pool} now waits. */
	Duration failed(String pool) {
		var backoff = backoffs.compute(pool, (name, previous) -> {
			var failures = previous == null ? 1 : previous.failures() + 1;
			var wait = Duration.ofSeconds(1L << Math.min(failures - 1, 20));
			if (wait.compareTo(settings.maxBackoff()) > 0) {
				wait = settings.maxBackoff();
			}
			return new Backoff(failures, clock.instant().plus(wait), wait);
		});
		return backoff.delay();
	}

	void succeeded(String pool) {
		backoffs.remove(pool);
	}

	private record Backoff(int failures, Instant until, Duration delay) {
	}

}
