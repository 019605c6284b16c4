package dev.airlock.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.airlock.IntegrationTestSupport;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Time from a violation (or a deadline) to the sandbox being ended with its container
 * gone, per kind. Violation moments are taken conservatively: the start of a bomb, the
 * deadline of a lease, the moment a CPU spin reaches its budget. Prints p50 and p99;
 * asserts nothing about time. Run:
 * {@code ./mvnw -Pbench test -Dtest=TimeToKillBenchmark}.
 */
class TimeToKillBenchmark extends IntegrationTestSupport {

	@Test
	void timeToKill() throws Exception {
		var results = new LinkedHashMap<String, List<Double>>();
		results.put("TTL expiry (expiresAt -> endedAt)", measure(10, n -> {
			var ended = awaitEnd(sandbox(Map.of("ttlSeconds", 2)));
			return between(ended.get("expiresAt"), ended.get("endedAt"));
		}));
		results.put("idle timeout (last activity + 2 s -> endedAt)", measure(5, n -> {
			var ended = awaitEnd(sandbox(Map.of("policy", newPolicy(Map.of("idleTimeoutSeconds", 2)))));
			return between(ended.get("lastActivityAt"), ended.get("endedAt")) - 2000;
		}));
		var memory = newPolicy(Map.of("memoryMb", 32));
		results.put("memory bomb, 32 MB (bomb start -> endedAt)",
				measure(5, n -> violate(memory, List.of("sh", "-c", "x=aaaaaaaa; while :; do x=$x$x; done"), 0)));
		var pids = newPolicy(Map.of("pidsLimit", 32));
		results.put("fork bomb, 32 pids (bomb start -> endedAt)",
				measure(5, n -> violate(pids, List.of("sh", "-c", "b() { b | b & }; b"), 0)));
		var cpu = newPolicy(Map.of("cpuBudgetSeconds", 2));
		results.put("CPU spin, 2 s budget (budget reached -> endedAt)",
				measure(5, n -> violate(cpu, List.of("sh", "-c", "while :; do :; done"), 2000)));
		var denied = newPolicy(Map.of("deniedCommandPatterns", List.of("^nmap"), "killOnDeniedCommand", true));
		results.put("denied command (request -> endedAt)", measure(5, n -> violate(denied, List.of("nmap"), 0)));
		results.put("main process exit (exit -> endedAt)", measure(5, n -> {
			var ended = awaitEnd(sandbox(Map.of("command", List.of("sh", "-c", "sleep 1"))));
			return between(ended.get("startedAt"), ended.get("endedAt")) - 1000;
		}));

		System.out.printf("%nTIME TO KILL (ms)%n");
		results.forEach((kind, samples) -> {
			var stats = CreateLatencyBenchmark.Stats.of(samples);
			System.out.printf("  %-52s n=%2d  p50 %6.0f  p99 %6.0f%n", kind, samples.size(), stats.p50(),
					CreateLatencyBenchmark.Stats.percentile(samples.stream().mapToDouble(d -> d).sorted().toArray(),
							99));
		});
		System.out.println();
	}

	private double violate(String policy, List<String> command, long violationAfterMs) {
		var id = sandbox(Map.of("policy", policy));
		var start = Instant.now();
		Thread.ofVirtual().start(() -> exec(id, Map.of("command", command, "timeoutSeconds", 60)));
		var ended = awaitEnd(id);
		if (!ended.get("status").asString().equals("KILLED")) {
			throw new IllegalStateException("not killed: " + ended);
		}
		return Duration.between(start, Instant.parse(ended.get("endedAt").asString())).toMillis()
				- (double) violationAfterMs;
	}

	private List<Double> measure(int runs, Function<Integer, Double> run) {
		var samples = new ArrayList<Double>();
		for (int i = 0; i < runs; i++) {
			samples.add(run.apply(i));
		}
		api.cleanUp();
		return samples;
	}

	/**
	 * Ended, as the server recorded it: how often this polls does not change the figures.
	 */
	private JsonNode awaitEnd(String id) {
		return awaitEnd(id, Duration.ofSeconds(30));
	}

	private static double between(JsonNode from, JsonNode to) {
		return Duration.between(Instant.parse(from.asString()), Instant.parse(to.asString())).toMillis();
	}

}
