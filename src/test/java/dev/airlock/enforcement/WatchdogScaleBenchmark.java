package dev.airlock.enforcement;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

import dev.airlock.IntegrationTestSupport;
import dev.airlock.policy.PolicyService;
import dev.airlock.runtime.ContainerMonitoring;
import dev.airlock.runtime.ContainerNotRunning;
import dev.airlock.runtime.EngineIdentity;
import dev.airlock.sandbox.LiveSandbox;
import dev.airlock.sandbox.SandboxQueries;
import dev.airlock.sandbox.SandboxStatus;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The watchdog at scale: with N idle sandboxes running (default 300,
 * {@code -Dairlock.bench.sandboxes=N}), how long one pass takes reading the cgroup
 * counters (the watchdog's own {@code sample()}) against the former pass, one stats API
 * call per sandbox eight at a time, in the same run; and how long after a sandbox reaches
 * its CPU budget it is ended. Prints a table; asserts nothing about time. Run:
 * {@code flock /tmp/airlock-it.lock ./mvnw -Pbench test -Dtest=WatchdogScaleBenchmark}.
 * Lives beside the watchdog to call its pass directly.
 */
class WatchdogScaleBenchmark extends IntegrationTestSupport {

	static final int SANDBOXES = Integer.getInteger("airlock.bench.sandboxes", 300);

	@Autowired
	EngineIdentity engine;

	@Autowired
	Watchdog watchdog;

	@Autowired
	ContainerMonitoring monitoring;

	@Autowired
	SandboxQueries queries;

	@Autowired
	PolicyService policies;

	@Autowired
	EnforcementSettings settings;

	@Test
	void watchdogAtScale() throws Exception {
		var idle = new ArrayList<String>();
		try {
			var created = Instant.now();
			idle.addAll(startIdle(SANDBOXES));
			var startup = Duration.between(created, Instant.now());

			watchdog.sample(); // resolves each container's id once
			var cgroupPass = timed(5, watchdog::sample);
			var cgroupReads = timed(5, () -> idle.forEach(monitoring::usage));
			var statsApiPass = timed(2, this::formerPass);
			var kills = new ArrayList<Double>();
			var budget = newPolicy(Map.of("cpuBudgetSeconds", 1));
			for (int i = 0; i < 5; i++) {
				kills.add(timeToKill(budget));
			}

			var cgroup = median(cgroupPass);
			var statsApi = median(statsApiPass);
			System.out.printf(
					"%nWATCHDOG AT SCALE: %d idle sandboxes (started in %d s), %d samples via the stats API%n",
					idle.size(), startup.toSeconds(), watchdog.statsApiReads());
			System.out.printf("  %-58s %10s%n", "", "median ms");
			System.out.printf("  %-58s %10.1f%n", "one pass, cgroup counters (Watchdog.sample)", cgroup);
			System.out.printf("  %-58s %10.1f%n", "  of which the reads alone, one thread", median(cgroupReads));
			System.out.printf("  %-58s %10.1f%n",
					"one pass, stats API per sandbox, " + settings.watchdogConcurrency() + " at a time (before)",
					statsApi);
			System.out.printf("  %-58s %10.0fx%n", "ratio", statsApi / cgroup);
			System.out.printf("  %-58s %10.0f  (max %.0f, n=%d)%n", "CPU budget reached -> endedAt, 1 s budget",
					median(kills), kills.stream().mapToDouble(d -> d).max().orElse(0), kills.size());
			System.out.println();
		}
		finally {
			removeAll(idle);
		}
	}

	/** The pass as it was: the engine's stats API for every RUNNING sandbox. */
	private void formerPass() {
		var running = queries.live(engine.engineId())
			.stream()
			.filter(s -> s.status() == SandboxStatus.RUNNING)
			.toList();
		var byId = new HashMap<String, LiveSandbox>();
		running.forEach(s -> byId.put(s.id(), s));
		Endings.forEach(byId.keySet(), settings.watchdogConcurrency(), id -> {
			var sandbox = byId.get(id);
			policies.version(sandbox.policy(), sandbox.policyVersion());
			try {
				monitoring.stats(id);
			}
			catch (ContainerNotRunning gone) {
				// ended meanwhile
			}
		});
	}

	/** Milliseconds from the moment the budget is reached (at the soonest) to the end. */
	private double timeToKill(String policy) {
		var id = sandbox(Map.of("policy", policy));
		var start = Instant.now();
		Thread.ofVirtual()
			.start(() -> exec(id, Map.of("command", List.of("sh", "-c", "while :; do :; done"), "timeoutSeconds", 60)));
		var ended = awaitEnd(id, Duration.ofSeconds(60));
		if (!ended.get("endReason").asString().equals("CPU_BUDGET")) {
			throw new IllegalStateException("not killed for its CPU budget: " + ended);
		}
		return Duration.between(start.plusSeconds(1), Instant.parse(ended.get("endedAt").asString())).toMillis();
	}

	private List<String> startIdle(int count) throws Exception {
		var policy = newPolicy(Map.of("maxSandboxesPerTenant", count + 10));
		var permits = new Semaphore(16);
		var ids = new ArrayList<String>();
		try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
			var futures = new ArrayList<Future<String>>();
			for (int i = 0; i < count; i++) {
				futures.add(pool.submit(() -> {
					permits.acquire();
					try {
						return sandbox(Map.of("policy", policy));
					}
					finally {
						permits.release();
					}
				}));
			}
			for (var future : futures) {
				ids.add(future.get());
			}
		}
		return ids;
	}

	private void removeAll(List<String> ids) {
		var permits = new Semaphore(16);
		try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
			for (var id : ids) {
				pool.submit(() -> {
					permits.acquireUninterruptibly();
					try {
						api.delete("/v1/sandboxes/" + id);
					}
					finally {
						permits.release();
					}
				});
			}
		}
	}

	private static List<Double> timed(int runs, Runnable work) {
		var samples = new ArrayList<Double>();
		for (int i = 0; i < runs; i++) {
			var start = System.nanoTime();
			work.run();
			samples.add((System.nanoTime() - start) / 1e6);
		}
		return samples;
	}

	private static double median(List<Double> samples) {
		var sorted = samples.stream().mapToDouble(d -> d).sorted().toArray();
		return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
				: (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
	}

}
