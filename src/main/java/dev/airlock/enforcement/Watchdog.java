package dev.airlock.enforcement;

import java.util.HashMap;

import dev.airlock.policy.PolicyService;
import dev.airlock.runtime.ContainerMonitoring;
import dev.airlock.runtime.ContainerNotRunning;
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
 * kernel's to police; its OOM kills arrive as events. One replica samples at a time.
 */
@Component
class Watchdog {

	private static final Logger log = LoggerFactory.getLogger(Watchdog.class);

	private final SandboxQueries queries;

	private final SandboxEndings endings;

	private final PolicyService policies;

	private final ContainerMonitoring monitoring;

	private final EnforcementSettings settings;

	Watchdog(SandboxQueries queries, SandboxEndings endings, PolicyService policies, ContainerMonitoring monitoring,
			EnforcementSettings settings) {
		this.queries = queries;
		this.endings = endings;
		this.policies = policies;
		this.monitoring = monitoring;
		this.settings = settings;
	}

	void sample() {
		try {
			var running = queries.live().stream().filter(s -> s.status() == SandboxStatus.RUNNING).toList();
			var byId = new HashMap<String, LiveSandbox>();
			running.forEach(s -> byId.put(s.id(), s));
			Endings.forEach(byId.keySet(), settings.watchdogConcurrency(), id -> check(byId.get(id)));
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
			var stats = monitoring.stats(sandbox.id());
			if (stats.pidsLimitHits() > 0 || stats.pids() >= policy.pidsLimit()) {
				kill(sandbox, EndReason.PIDS_LIMIT, "the limit of " + policy.pidsLimit() + " processes was reached"
						+ (stats.pidsLimitHits() > 0 ? " (" + stats.pidsLimitHits() + " forks refused)" : ""));
			}
			else if (policy.cpuBudgetSeconds() != null
					&& stats.cpuNanos() >= policy.cpuBudgetSeconds() * 1_000_000_000L) {
				kill(sandbox, EndReason.CPU_BUDGET, String.format("used %.1f s of CPU; the budget is %d s",
						stats.cpuNanos() / 1e9, policy.cpuBudgetSeconds()));
			}
		}
		catch (ContainerNotRunning gone) {
			// the events handler and the reconciler deal with containers that are gone
		}
	}

	private void kill(LiveSandbox sandbox, EndReason reason, String detail) {
		if (endings.end(sandbox.id(), SandboxStatus.KILLED, reason, detail, SandboxEndings.SYSTEM)) {
			log.warn("Killed sandbox {} ({}): {}", sandbox.id(), reason, detail);
		}
	}

}
