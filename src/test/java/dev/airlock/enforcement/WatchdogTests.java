package dev.airlock.enforcement;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.airlock.IntegrationTestSupport;
import dev.airlock.runtime.ContainerMonitoring;
import dev.airlock.runtime.ContainerUsage;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The watchdog reads the kernel's cgroup counters, not the engine's stats API, so that a
 * pass over many sandboxes stays short and a violation is caught soon after it happens.
 */
class WatchdogTests extends IntegrationTestSupport {

	static final int IDLE_SANDBOXES = 40;

	@Autowired
	Watchdog watchdog;

	@Autowired
	ContainerMonitoring monitoring;

	@Test
	void usageComesFromTheKernelsCountersAndAgreesWithTheStatsApi() throws Exception {
		var id = sandbox(Map.of("policy", newPolicy(Map.of("pidsLimit", 48, "memoryMb", 64))));
		exec(id, Map.of("command", List.of("sh", "-c", "i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done")));

		var usage = monitoring.usage(id);
		var stats = monitoring.stats(id);

		assertThat(usage.source()).isEqualTo(ContainerUsage.Source.CGROUP);
		assertThat(usage.pidsLimit()).isEqualTo(48).isEqualTo(stats.pidsLimit());
		assertThat(usage.memoryLimitBytes()).isEqualTo(64L << 20).isEqualTo(stats.memoryLimitBytes());
		assertThat(usage.pids()).isPositive();
		assertThat(usage.pidsLimitHits()).isZero();
		assertThat(usage.memoryBytes()).isPositive();
		// the same kernel counter, read a moment apart
		assertThat(usage.cpuNanos()).isPositive().isLessThanOrEqualTo(stats.cpuNanos());
	}

	@Test
	void amongManyIdleSandboxesACpuSpinIsKilledSoonAfterItsBudgetThroughTheCgroupCounters() throws Exception {
		var idlePolicy = newPolicy(Map.of("maxSandboxesPerTenant", IDLE_SANDBOXES + 10));
		var idle = new ArrayList<String>();
		try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
			var futures = new ArrayList<Future<String>>();
			for (int i = 0; i < IDLE_SANDBOXES; i++) {
				futures.add(pool.submit(() -> sandbox(Map.of("policy", idlePolicy))));
			}
			for (var future : futures) {
				idle.add(future.get());
			}
		}
		var statsApiReadsBefore = watchdog.statsApiReads();
		var spinner = sandbox(Map.of("policy", newPolicy(Map.of("cpuBudgetSeconds", 1))));

		var start = Instant.now();
		Thread.ofVirtual()
			.start(() -> exec(spinner,
					Map.of("command", List.of("sh", "-c", "while :; do :; done"), "timeoutSeconds", 60)));
		var ended = awaitEnd(spinner, Duration.ofSeconds(20));

		assertThat(ended.get("status").asString()).isEqualTo("KILLED");
		assertThat(ended.get("endReason").asString()).isEqualTo("CPU_BUDGET");
		// the budget is reached no sooner than a second of CPU after the spin began
		var delay = Duration.between(start.plusSeconds(1), Instant.parse(ended.get("endedAt").asString()));
		System.out.printf("%nWATCHDOG: with %d idle sandboxes, a 1 s CPU budget was ended %d ms after it was"
				+ " reached (at most)%n%n", IDLE_SANDBOXES, delay.toMillis());
		assertThat(watchdog.statsApiReads()).as("watchdog samples that went through the stats API")
			.isEqualTo(statsApiReadsBefore);
		assertThat(status(idle.getFirst())).isEqualTo("RUNNING");
		assertThat(status(idle.getLast())).isEqualTo("RUNNING");
	}

}
