package dev.airlock.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The JVM's resolver (hosts file, then DNS), bounded by a timeout: the lookup runs on a
 * virtual thread that is left to finish on its own when the caller stops waiting.
 */
final class SystemResolver implements Resolver {

	@Override
	public List<InetAddress> resolve(String name, Duration timeout) throws UnknownHostException, TimeoutException {
		var lookup = new FutureTask<>(() -> List.of(InetAddress.getAllByName(name)));
		Thread.ofVirtual().name("egress-resolve").start(lookup);
		try {
			return lookup.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new TimeoutException("interrupted while resolving");
		}
		catch (ExecutionException e) {
			if (e.getCause() instanceof UnknownHostException unknown) {
				throw unknown;
			}
			throw new UnknownHostException(name);
		}
	}

}
