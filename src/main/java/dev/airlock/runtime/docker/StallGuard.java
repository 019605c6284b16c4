package dev.airlock.runtime.docker;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A deadline on every blocking read and write of one connection. Blocking channel calls
 * ignore SO_TIMEOUT (and a Unix socket has no Socket to set it on), so a call that blocks
 * longer than the limit has its channel closed under it and fails with a
 * {@link SocketTimeoutException}. Calls only stamp when they start and end; one shared
 * thread checks every connection's stamps, so a transfer arms no timer per buffer and an
 * open connection costs no task of its own.
 */
final class StallGuard {

	/** How often the stamps are checked: a deadline fires up to this late. */
	private static final Duration CHECK_EVERY = Duration.ofMillis(100);

	/** Every guard of an open connection, checked by one sweep. */
	private static final Set<StallGuard> GUARDS = ConcurrentHashMap.newKeySet();

	static {
		checks().scheduleWithFixedDelay(StallGuard::sweep, CHECK_EVERY.toNanos(), CHECK_EVERY.toNanos(),
				TimeUnit.NANOSECONDS);
	}

	private final Runnable close;

	private volatile Duration limit;

	private final Stamp reading = new Stamp();

	private final Stamp writing = new Stamp();

	private volatile boolean fired;

	StallGuard(Duration limit, Runnable close) {
		this.limit = limit;
		this.close = close;
		GUARDS.add(this);
	}

	/** How long one call may block from now on. */
	void limit(Duration limit) {
		this.limit = limit;
	}

	/** Runs a blocking read under the deadline. */
	int read(BlockingCall call) throws IOException {
		return reading.time(call);
	}

	/** Runs a blocking write (or connect) under the deadline. */
	int write(BlockingCall call) throws IOException {
		return writing.time(call);
	}

	/** The connection is closed: stop checking it. */
	void stop() {
		GUARDS.remove(this);
	}

	private IOException stalledOr(ClosedChannelException e) {
		if (fired) { // the deadline closed the channel: that is all the cause says
			return new SocketTimeoutException("The Docker engine stalled for over " + limit.toMillis() + " ms");
		}
		return e; // closed by its owner (a cancel), not by the deadline
	}

	/**
	 * One pass over every open connection: with hundreds of agent channels open, one task
	 * instead of one per connection.
	 */
	private static void sweep() {
		for (var guard : GUARDS) {
			try {
				guard.closeIfStalled();
			}
			catch (RuntimeException e) {
				// one connection's close never stops the others' checks
			}
		}
	}

	private void closeIfStalled() {
		var now = System.nanoTime();
		var max = limit.toNanos();
		if (reading.overdue(now, max) || writing.overdue(now, max)) {
			fired = true;
			close.run();
		}
	}

	private static ScheduledThreadPoolExecutor checks() {
		return new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().name("docker-deadlines").daemon().factory());
	}

	/** When the call of one kind (read or write) under way began. */
	private final class Stamp {

		/** {@link System#nanoTime()} at the start, never 0; 0: no call under way. */
		private volatile long since;

		int time(BlockingCall call) throws IOException {
			since = System.nanoTime() | 1;
			try {
				return call.run();
			}
			catch (ClosedChannelException e) {
				throw stalledOr(e);
			}
			finally {
				since = 0;
			}
		}

		boolean overdue(long now, long max) {
			var started = since;
			return started != 0 && now - started > max;
		}

	}

	/** One blocking channel call. */
	@FunctionalInterface
	interface BlockingCall {

		int run() throws IOException;

	}

}
