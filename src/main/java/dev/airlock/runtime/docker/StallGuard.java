package dev.airlock.runtime.docker;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A deadline on every blocking read and write of one connection. Blocking channel calls
 * ignore SO_TIMEOUT (and a Unix socket has no Socket to set it on), so a call that blocks
 * longer than the limit has its channel closed under it and fails with a
 * {@link SocketTimeoutException}. Calls only stamp when they start and end; one shared
 * thread checks every connection's stamps, so a transfer arms no timer per buffer.
 */
final class StallGuard {

	/** How often the stamps are checked: a deadline fires up to this late. */
	private static final Duration CHECK_EVERY = Duration.ofMillis(100);

	private static final ScheduledThreadPoolExecutor CHECKS = checks();

	private final Runnable close;

	private final ScheduledFuture<?> check;

	private volatile Duration limit;

	/** When the read under way began ({@link System#nanoTime()}, never 0); 0: none. */
	private volatile long readingSince;

	/** When the write under way began; 0: none. */
	private volatile long writingSince;

	private volatile boolean fired;

	StallGuard(Duration limit, Runnable close) {
		this.limit = limit;
		this.close = close;
		this.check = CHECKS.scheduleWithFixedDelay(this::closeIfStalled, CHECK_EVERY.toNanos(), CHECK_EVERY.toNanos(),
				TimeUnit.NANOSECONDS);
	}

	/** How long one call may block from now on. */
	void limit(Duration limit) {
		this.limit = limit;
	}

	/** Runs a blocking read under the deadline. */
	int read(BlockingCall call) throws IOException {
		readingSince = System.nanoTime() | 1;
		try {
			return call.run();
		}
		catch (ClosedChannelException e) {
			throw stalledOr(e);
		}
		finally {
			readingSince = 0;
		}
	}

	/** Runs a blocking write (or connect) under the deadline. */
	int write(BlockingCall call) throws IOException {
		writingSince = System.nanoTime() | 1;
		try {
			return call.run();
		}
		catch (ClosedChannelException e) {
			throw stalledOr(e);
		}
		finally {
			writingSince = 0;
		}
	}

	/** The connection is closed: stop checking it. */
	void stop() {
		check.cancel(false);
	}

	private IOException stalledOr(ClosedChannelException e) {
		if (fired) { // the deadline closed the channel: that is all the cause says
			return new SocketTimeoutException("The Docker engine stalled for over " + limit.toMillis() + " ms");
		}
		return e; // closed by its owner (a cancel), not by the deadline
	}

	private void closeIfStalled() {
		var now = System.nanoTime();
		var max = limit.toNanos();
		var reading = readingSince;
		var writing = writingSince;
		if ((reading != 0 && now - reading > max) || (writing != 0 && now - writing > max)) {
			fired = true;
			close.run();
		}
	}

	private static ScheduledThreadPoolExecutor checks() {
		var executor = new ScheduledThreadPoolExecutor(1,
				Thread.ofPlatform().name("docker-deadlines").daemon().factory());
		executor.setRemoveOnCancelPolicy(true);
		return executor;
	}

	/** One blocking channel call. */
	@FunctionalInterface
	interface BlockingCall {

		int run() throws IOException;

	}

}
