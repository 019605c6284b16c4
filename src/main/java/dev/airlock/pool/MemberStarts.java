package dev.airlock.pool;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import dev.airlock.policy.PolicyView;
import dev.airlock.runtime.ContainerLifecycle;
import dev.airlock.sandbox.SandboxSpecs;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Starts the members a refill pass decided on, in parallel, each timed
 * ({@code airlock_pool_refill_seconds}): a started member becomes READY (or, dropped
 * while it started, is removed); a failed one loses its row, and its pool waits out a
 * back-off with the failure as its {@code lastError}.
 */
@Component
class MemberStarts {

	private static final Logger log = LoggerFactory.getLogger(MemberStarts.class);

	private final ContainerLifecycle containers;

	private final SandboxSpecs specs;

	private final PoolMembers members;

	private final Pools pools;

	private final RefillPace pace;

	private final MeterRegistry meters;

	private final Clock clock;

	MemberStarts(ContainerLifecycle containers, SandboxSpecs specs, PoolMembers members, Pools pools, RefillPace pace,
			MeterRegistry meters, Clock clock) {
		this.containers = containers;
		this.specs = specs;
		this.members = members;
		this.pools = pools;
		this.pace = pace;
		this.meters = meters;
		this.clock = clock;
	}

	/** A member to start: its row is written, STARTING. */
	record Start(String id, PoolView pool, PolicyView policy) {
	}

	/** Starts them all at once and answers how many failed. */
	int startAll(List<Start> starts) {
		var failures = new AtomicInteger();
		try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
			for (var start : starts) {
				threads.submit(() -> {
					if (!start(start)) {
						failures.incrementAndGet();
					}
				});
			}
		}
		return failures.get();
	}

	private boolean start(Start start) {
		var pool = start.pool().name();
		var timer = Timer.start(meters);
		try {
			var container = containers
				.start(specs.forPoolMember(start.id(), pool, start.policy(), start.pool().image()))
				.containerId();
			if (!members.markReady(start.id(), container, clock.instant())) {
				remove(start.id()); // dropped while it started
			}
			timer.stop(meters.timer("airlock.pool.refill", "outcome", "started"));
			pace.succeeded(pool);
			pools.clearError(pool);
			return true;
		}
		catch (RuntimeException e) {
			timer.stop(meters.timer("airlock.pool.refill", "outcome", "failed"));
			members.delete(start.id());
			var backoff = pace.failed(pool);
			pools.recordError(pool, String.valueOf(e.getMessage()), clock.instant());
			log.warn("Pool {}: a member failed to start ({}); next try in {}", pool, e.getMessage(), backoff);
			return false;
		}
	}

	/** Removes a member's container; what fails here, the reconciler removes later. */
	void remove(String id) {
		try {
			containers.remove(id);
		}
		catch (RuntimeException e) {
			log.warn("Pool member {}: its container could not be removed: {}", id, e.getMessage());
		}
	}

}
