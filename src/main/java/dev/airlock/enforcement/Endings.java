package dev.airlock.enforcement;

import java.util.Collection;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one piece of work per sandbox in parallel, bounded; one sandbox's failure never
 * stops the others.
 */
final class Endings {

	private static final Logger log = LoggerFactory.getLogger(Endings.class);

	private Endings() {
	}

	/**
	 * @return how many succeeded
	 */
	static int forEach(Collection<String> ids, int concurrency, Consumer<String> work) {
		var permits = new Semaphore(concurrency);
		var succeeded = new AtomicInteger();
		try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
			for (var id : ids) {
				pool.submit(() -> {
					permits.acquireUninterruptibly();
					try {
						work.accept(id);
						succeeded.incrementAndGet();
					}
					catch (RuntimeException e) {
						log.warn("Sandbox {}: {}", id, e.getMessage());
					}
					finally {
						permits.release();
					}
				});
			}
		}
		return succeeded.get();
	}

}
