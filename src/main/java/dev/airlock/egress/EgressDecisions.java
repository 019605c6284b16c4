package dev.airlock.egress;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * The gateway's decisions: a metric at once, counts per sandbox, minute, destination,
 * port and decision kept in memory and added to the table every second, and watches that
 * tell an exec what was denied while it ran. A crash loses at most the last second's
 * counts (the metric has them).
 */
@Service
public class EgressDecisions {

	/**
	 * Distinct destinations (with port and decision) one sandbox may have in one minute;
	 * beyond, the counts go to {@link #OVERFLOW}.
	 */
	static final int KEYS_PER_SANDBOX_MINUTE = 100;

	/** The destination (port 0) of the counts beyond {@link #KEYS_PER_SANDBOX_MINUTE}. */
	static final String OVERFLOW = "*";

	/** The most distinct destinations one watch remembers. */
	static final int WATCHED_DENIALS = 32;

	private static final int MAX_DESTINATION = 255;

	private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

	private static final Logger log = LoggerFactory.getLogger(EgressDecisions.class);

	private final DecisionRows rows;

	private final Clock clock;

	private final Counter allowed;

	private final Counter denied;

	private final Map<DecisionKey, Long> pending = new ConcurrentHashMap<>();

	private final Map<String, MinuteKeys> keysThisMinute = new ConcurrentHashMap<>();

	private final Map<String, Set<Watch>> watches = new ConcurrentHashMap<>();

	EgressDecisions(DecisionRows rows, Clock clock, MeterRegistry meters) {
		this.rows = rows;
		this.clock = clock;
		this.allowed = decisions(meters, "allowed");
		this.denied = decisions(meters, "denied");
	}

	private static Counter decisions(MeterRegistry meters, String decision) {
		return Counter.builder("airlock.egress.decisions")
			.description("Connections the egress gateway allowed or denied")
			.tag("decision", decision)
			.register(meters);
	}

	/**
	 * Counts one decision of the gateway for a connection of {@code sandboxId} to
	 * {@code destination} (a name or an IP literal, as the client asked) and {@code port}
	 * (0 to 65535, else {@link IllegalArgumentException}). The destination is kept to 255
	 * characters, control characters shown as {@code ?}.
	 */
	public void record(String sandboxId, String destination, int port, boolean allowed) {
		record(sandboxId, destination, port, allowed, clock.instant());
	}

	void record(String sandboxId, String destination, int port, boolean allowed, Instant at) {
		if (port < 0 || port > 65_535) {
			throw new IllegalArgumentException("port " + port + " is not a port");
		}
		(allowed ? this.allowed : this.denied).increment();
		var bounded = bounded(destination);
		var minute = at.truncatedTo(ChronoUnit.MINUTES);
		var key = new DecisionKey(sandboxId, minute, bounded, port, allowed);
		pending.merge(admitted(key), 1L, Long::sum);
		if (!allowed) {
			var seen = watches.get(sandboxId);
			if (seen != null) {
				var hostPort = hostPort(bounded, port);
				seen.forEach(watch -> watch.add(hostPort));
			}
		}
	}

	/**
	 * At most {@value #MAX_DESTINATION} characters, control characters shown as
	 * {@code ?}: the table takes no NUL, and people read the listing and the audit log.
	 */
	private static String bounded(String destination) {
		var cut = destination.length() > MAX_DESTINATION ? destination.substring(0, MAX_DESTINATION) : destination;
		return cut.chars().anyMatch(Character::isISOControl) ? CONTROL.matcher(cut).replaceAll("?") : cut;
	}

	/** The key itself, or the overflow key when the sandbox's minute is full. */
	private DecisionKey admitted(DecisionKey key) {
		var admitted = new DecisionKey[] { key };
		keysThisMinute.compute(key.sandboxId(), (id, keys) -> {
			var current = keys == null || keys.minute().isBefore(key.minute()) ? new MinuteKeys(key.minute()) : keys;
			if (!current.minute().equals(key.minute())) {
				return current; // a late decision of an earlier minute: counted without a
								// cap of its own
			}
			if (!current.keys().contains(key) && current.keys().size() >= KEYS_PER_SANDBOX_MINUTE) {
				admitted[0] = new DecisionKey(key.sandboxId(), key.minute(), OVERFLOW, 0, key.allowed());
			}
			else {
				current.keys().add(key);
			}
			return current;
		});
		return admitted[0];
	}

	/** {@code host:port}, an IPv6 address in brackets: how a destination is shown. */
	static String hostPort(String destination, int port) {
		return (destination.indexOf(':') >= 0 && !destination.startsWith("[") ? "[" + destination + "]" : destination)
				+ ":" + port;
	}

	/**
	 * Adds this JVM's pending counts to the table (every second, before a listing and
	 * when a sandbox ends); one flush at a time, so a flush that returns has seen every
	 * count recorded before it began committed.
	 */
	@Scheduled(fixedDelay = 1_000)
	public synchronized void flush() {
		var batch = new ArrayList<DecisionRows.Count>();
		for (var key : pending.keySet()) {
			var count = pending.remove(key);
			if (count != null) {
				batch.add(new DecisionRows.Count(key, count));
			}
		}
		var now = clock.instant().truncatedTo(ChronoUnit.MINUTES);
		keysThisMinute.values().removeIf(keys -> keys.minute().isBefore(now));
		if (batch.isEmpty()) {
			return;
		}
		try {
			rows.add(batch);
		}
		catch (RuntimeException e) {
			// kept for the next flush
			batch.forEach(count -> pending.merge(count.key(), count.count(), Long::sum));
			log.warn("Egress decisions not written yet ({} keys): {}", batch.size(), e.getMessage());
		}
	}

	@PreDestroy
	void flushBeforeShutdown() {
		flush();
	}

	/**
	 * A page of the sandbox's decisions, newest minute first (this JVM's flushed first).
	 */
	public Page<EgressDecision> list(String sandboxId, Pageable pageable) {
		flush();
		return rows.page(sandboxId, pageable);
	}

	/** Forgets the per-minute keys of a sandbox that has ended. */
	void forget(String sandboxId) {
		keysThisMinute.remove(sandboxId);
	}

	/**
	 * Starts remembering what this JVM denies {@code sandboxId} until the watch is
	 * closed.
	 */
	public Watch watch(String sandboxId) {
		var watch = new Watch(sandboxId);
		watches.compute(sandboxId, (id, open) -> {
			var all = open == null ? ConcurrentHashMap.<Watch>newKeySet() : open;
			all.add(watch);
			return all;
		});
		return watch;
	}

	/**
	 * The distinct {@code host:port} ({@code [address]:port} for IPv6) denied to one
	 * sandbox while it is open, in first-seen order, at most {@value #WATCHED_DENIALS}.
	 */
	public final class Watch implements AutoCloseable {

		private final String sandboxId;

		private final Set<String> denied = new LinkedHashSet<>();

		private Watch(String sandboxId) {
			this.sandboxId = sandboxId;
		}

		private synchronized void add(String hostPort) {
			if (denied.size() < WATCHED_DENIALS) {
				denied.add(hostPort);
			}
		}

		public synchronized List<String> denied() {
			return List.copyOf(denied);
		}

		@Override
		public void close() {
			watches.computeIfPresent(sandboxId, (id, open) -> {
				open.remove(this);
				return open.isEmpty() ? null : open;
			});
		}

	}

	/** One row's key. */
	record DecisionKey(String sandboxId, Instant minute, String destination, int port, boolean allowed) {
	}

	private record MinuteKeys(Instant minute, Set<DecisionKey> keys) {

		MinuteKeys(Instant minute) {
			this(minute, new HashSet<>());
		}

	}

}
