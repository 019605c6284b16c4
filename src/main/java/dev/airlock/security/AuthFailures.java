package dev.airlock.security;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.airlock.security.SecurityEvents.AuthFailed;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Turns failed authentications into {@link AuthFailed} events, at most one per address
 * per window, so that a flood of bad keys cannot flood the audit log; each event counts
 * the failures it stands for.
 */
@Component
class AuthFailures {

	static final Duration WINDOW = Duration.ofSeconds(10);

	private static final int MAX_ADDRESSES = 100_000;

	private final ApplicationEventPublisher events;

	private final Map<String, Window> windows = new ConcurrentHashMap<>();

	AuthFailures(ApplicationEventPublisher events) {
		this.events = events;
	}

	void record(String remoteAddress, String path) {
		var now = System.nanoTime();
		if (windows.size() > MAX_ADDRESSES) {
			// an address flood: start over rather than grow without bound
			windows.clear();
		}
		var window = windows.computeIfAbsent(remoteAddress, address -> new Window());
		var pending = window.failures.incrementAndGet();
		synchronized (window) {
			if (window.lastEmitted != 0 && now - window.lastEmitted < WINDOW.toNanos()) {
				return;
			}
			window.lastEmitted = now;
			window.failures.addAndGet(-pending);
		}
		events.publishEvent(new AuthFailed(remoteAddress, pending, path));
	}

	private static final class Window {

		final AtomicLong failures = new AtomicLong();

		long lastEmitted;

	}

}
