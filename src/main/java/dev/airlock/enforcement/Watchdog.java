package dev.airlock.enforcement;

import java.util.HashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import dev.airlock.policy.PolicyService;
import dev.airlock.runtime.ContainerMonitoring;
import dev.airlock.runtime.ContainerNotRunning;
import dev.airlock.runtime.ContainerUsage;
import dev.airlock.runtime.EngineIdentity;
import dev.airlock.runtime.RuntimeUnavailable;
import dev.airlock.sandbox.EndReason;
import dev.airlock.sandbox.LiveSandbox;
import dev.airlock.sandbox.SandboxEndings;
import dev.airlock.sandbox.SandboxQueries;
import dev.airlock.sandbox.SandboxStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Samples every RUNNING sandbox and kills the ones that break their policy: the pids
 * limit reached (a fork bomb), CPU time past {@code cpuBudgetSeconds}. Memory is the
 * kernel's to police; its OOM kills arrive as events. One replica per engine samples at a
 * time, and only that engine's sandboxes. Usage comes from the kernel's cgroup counters
 * (a few file reads per sandbox, so a pass over hundreds of sandboxes takes
 * milliseconds); only where they cannot be read does it come from the engine's stats API,
 * a round trip per sandbox.
 */
@Component
class Watchdog {

	private static final Logger log = LoggerFactory.getLogger(Watchdog.class);

	private final SandboxQueries queries;

	private final SandboxEndings endings;

	private final PolicyService policies;

	private final ContainerMonitoring monitoring;

	private final EngineIdentity engine;

	private final EnforcementSettings settings;

	private final LongAdder statsApiReads = new LongAdder();

	private final AtomicBoolean toldOfFallback = new AtomicBoolean();

	Watchdog(SandboxQueries queries, SandboxEndings endings, PolicyService policies, ContainerMonitoring monitoring,
			EngineIdentity engine, EnforcementSettings settings) {
		this.queries = queries;
		this.endings = endings;
		this.policies = policies;
		this.monitoring = monitoring;
		this.engine = engine;
		this.settings = settings;
	}

	void sample() {
		try {
			var start = System.nanoTime();
			var running = queries.live(engine.engineId())
				.stream()
				.filter(s -> s.status() == SandboxStatus.RUNNING)
				.toList();
			var byId = new HashMap<String, LiveSandbox>();
			running.forEach(s -> byId.put(s.id(), s));
			Endings.forEach(byId.keySet(), settings.watchdogConcurrency(), id -> check(byId.get(id)));
			log.trace("Watchdog pass: {} sandboxes in {} ms", byId.size(), (System.nanoTime() - start) / 1_000_000);
		}
		catch (RuntimeUnavailable e) {
			log.debug("Watchdog pass skipped: {}", e.getMessage());
		}
		catch (RuntimeException e) {
			log.warn("Watchdog pass failed: {}", e.getMessage());
		}
	}

	private void check(LiveSandbox sandbox) {
		var policy = policies.version(sandbox.policy(), sandbox.policyVersion()).orElse(null);
		if (policy == null) {
			return;
		}
		try {
			var usage = monitoring.usage(sandbox.id());
			if (usage.source() == ContainerUsage.Source.STATS_API) {
				statsApiReads.increment();
				if (toldOfFallback.compareAndSet(false, true)) {
					log.warn("Cgroup counters not readable (airlock.runtime.docker.cgroup-root): the watchdog"
							+ " samples through the stats API, a round trip per sandbox");
				}
			}
			if (usage.pidsLimitHits() > 0 || usage.pids() >= policy.pidsLimit()) {
				kill(sandbox, EndReason.PIDS_LIMIT, "the limit of " + policy.pidsLimit() + " processes was reached"
						+ (usage.pidsLimitHits() > 0 ? " (" + usage.pidsLimitHits() + " forks refused)" : ""));
			}
			else if (policy.cpuBudgetSeconds() != null
					&& usage.cpuNanos() >= policy.cpuBudgetSeconds() * 1_000_000_000L) {
				kill(sandbox, EndReason.CPU_BUDGET, String.format("used %.1f s of CPU; the budget is %d s",
						usage.cpuNanos() / 1e9, policy.cpuBudgetSeconds()));
			}
		}
		catch (ContainerNotRunning gone) {
			// the events handler and the reconciler deal with containers that are gone
		}
	}

	/** How many samples came from the stats API rather than the cgroup counters. */
	long statsApiReads() {
		return statsApiReads.sum();
	}

	private void kill(LiveSandbox sandbox, EndReason reason, String detail) {
		if (endings.end(sandbox.id(), SandboxStatus.KILLED, reason, detail, SandboxEndings.SYSTEM)) {
			log.warn("Killed sandbox {} ({}): {}", sandbox.id(), reason, detail);
		}
	}

}
