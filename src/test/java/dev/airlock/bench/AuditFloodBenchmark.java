package dev.airlock.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.management.OperatingSystemMXBean;
import dev.airlock.Api;
import dev.airlock.IntegrationTest;
import dev.airlock.IntegrationTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

import static dev.airlock.IntegrationTestSupport.IMAGE;

/**
 * One tenant's exec latency ({@code true}) idle and while eight clients of another tenant
 * send maximum-size requests in a loop (an exec of 240 arguments of 3,800 characters, an
 * upload, a download and a delete at a path of the longest length a sandbox takes),
 * measured in one process; also the audit bytes the flood adds per second. The per-key
 * rate limit and the tenant's upload cap are lifted: they are not what is measured.
 * Prints figures; asserts no times. Run:
 * {@code flock /tmp/airlock-it.lock ./mvnw -Pbench test -Dtest=AuditFloodBenchmark}.
 */
@IntegrationTest
@TestPropertySource(
		properties = { "airlock.security.rate-limit.per-second=100000", "airlock.security.rate-limit.burst=100000",
				// a walk of the whole (shared, large) chain mid-run would be measured too
				"airlock.audit.verify-initial-delay=1h",
				// eight flooders upload at once: the tenant's upload cap is not what is
				// measured either
				"airlock.tenants.max-concurrent-uploads=16" })
class AuditFloodBenchmark {

	static final int WARMUP = 20;
	static final int RUNS = Integer.getInteger("airlock.bench.exec-runs", 200);
	static final int FLOODERS = 8;

	@Autowired
	Api api;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void anotherTenantsExecLatencyUnderAMaximumSizeRequestFlood() throws Exception {
		var victimKey = api.post("/v1/api-keys", Map.of("tenant", "bench-victim", "role", "AGENT", "name", "bench"))
			.json()
			.get("key")
			.asString();
		var victim = api.send("POST", "/v1/sandboxes", Map.of("image", IMAGE), victimKey).json().get("id").asString();
		var flooded = api.createSandbox(Map.of("image", IMAGE)).json().get("id").asString();
		try {
			for (int i = 0; i < WARMUP; i++) {
				timeExec(victim, victimKey);
			}
			var idle = new ArrayList<Double>();
			var idleSample = new Sampler(jdbc);
			for (int i = 0; i < RUNS; i++) {
				idle.add(timeExec(victim, victimKey));
			}
			idleSample.close();

			var stop = new AtomicBoolean();
			var requests = new AtomicLong();
			var firstSeq = headSeq();
			var began = System.nanoTime();
			var underFlood = new ArrayList<Double>();
			var flooders = new ArrayList<Future<?>>();
			var floodSample = new Sampler(jdbc);
			try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
				for (int c = 0; c < FLOODERS; c++) {
					var fill = (char) ('a' + c);
					flooders.add(pool.submit(() -> flood(flooded, fill, stop, requests)));
				}
				for (int i = 0; i < WARMUP; i++) {
					timeExec(victim, victimKey);
				}
				for (int i = 0; i < RUNS; i++) {
					underFlood.add(timeExec(victim, victimKey));
				}
				stop.set(true);
			}
			var seconds = (System.nanoTime() - began) / 1e9;
			floodSample.close();
			for (var flooder : flooders) {
				// a flood request that failed fails the run
				flooder.get();
			}
			var added = jdbc.queryForMap(
					"select count(*) as events, coalesce(sum(octet_length(data)), 0) as data_bytes, "
							+ "coalesce(sum(pg_column_size(audit_events.*)), 0) as row_bytes, "
							+ "coalesce(max(octet_length(data)), 0) as largest from audit_events where seq > ?",
					firstSeq);

			var quiet = CreateLatencyBenchmark.Stats.of(idle);
			var loud = CreateLatencyBenchmark.Stats.of(underFlood);
			System.out.printf("%nEXEC `true` OF ONE TENANT, %d runs after %d warm-up each (ms)%n", RUNS, WARMUP);
			System.out.printf("  %-44s %s%n", "idle", quiet.line());
			System.out.printf("  %-44s %s%n", FLOODERS + " clients of another tenant flooding", loud.line());
			System.out.printf("  ratio flood/idle: p50 %.2fx  p95 %.2fx  p99 %.2fx%n", loud.p50() / quiet.p50(),
					loud.p95() / quiet.p95(), loud.p99() / quiet.p99());
			System.out.printf(
					"FLOOD: %d maximum-size requests in %.1f s; audit +%s events, data %.1f KiB/s, "
							+ "rows %.1f KiB/s, largest event data %s bytes%n",
					requests.get(), seconds, added.get("events"),
					((Number) added.get("data_bytes")).doubleValue() / 1024 / seconds,
					((Number) added.get("row_bytes")).doubleValue() / 1024 / seconds, added.get("largest"));
			System.out.printf(
					"WHERE THE TIME GOES: machine CPU busy %s idle, %s in the flood; sessions waiting for"
							+ " the audit chain's lock %s idle, %s in the flood%n",
					idleSample.cpu(), floodSample.cpu(), idleSample.lockWaiters(), floodSample.lockWaiters());
		}
		finally {
			api.send("DELETE", "/v1/sandboxes/" + victim, null, victimKey);
			api.cleanUp();
		}
	}

	/**
	 * Every 100 ms until closed: the machine's CPU load and how many database sessions
	 * wait for an advisory lock (the audit chain's is the only one Airlock takes).
	 */
	static final class Sampler {

		private final AtomicBoolean stop = new AtomicBoolean();

		private final List<Double> cpu = new CopyOnWriteArrayList<>();

		private final List<Integer> waiters = new CopyOnWriteArrayList<>();

		private final Thread thread;

		Sampler(JdbcTemplate jdbc) {
			var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
			this.thread = Thread.ofPlatform().daemon().start(() -> {
				while (!stop.get()) {
					cpu.add(os.getCpuLoad());
					waiters.add(jdbc.queryForObject("select count(*) from pg_stat_activity "
							+ "where wait_event_type = 'Lock' and wait_event = 'advisory'", Integer.class));
					try {
						Thread.sleep(100);
					}
					catch (InterruptedException e) {
						return;
					}
				}
			});
		}

		void close() throws InterruptedException {
			stop.set(true);
			thread.join();
		}

		String cpu() {
			return String.format("%.0f%%", 100 * cpu.stream().mapToDouble(Double::doubleValue).average().orElse(0));
		}

		String lockWaiters() {
			return String.format("avg %.2f max %d", waiters.stream().mapToInt(Integer::intValue).average().orElse(0),
					waiters.stream().mapToInt(Integer::intValue).max().orElse(0));
		}

	}

	private double timeExec(String id, String key) {
		var start = System.nanoTime();
		var response = api.send("POST", "/v1/sandboxes/" + id + "/exec", Map.of("command", List.of("true")), key);
		var millis = (System.nanoTime() - start) / 1e6;
		if (response.status() != 200) {
			throw new IllegalStateException(response.toString());
		}
		return millis;
	}

	/** Maximum-size requests until told to stop: exec, upload, download, delete. */
	private void flood(String id, char fill, AtomicBoolean stop, AtomicLong requests) {
		var argv = new ArrayList<>(List.of("true"));
		for (int i = 0; i < 240; i++) {
			argv.add(String.valueOf((char) ('a' + i % 26)).repeat(3800));
		}
		// serialised once: the client's own JSON writing is not what is measured
		var body = Api.json(Map.of("command", argv));
		var path = IntegrationTestSupport.longestPath(fill);
		while (!stop.get()) {
			check(api.post("/v1/sandboxes/" + id + "/exec", body), 200);
			check(api.upload(id, path, new byte[] { 1 }), 201);
			check(api.get("/v1/sandboxes/" + id + "/files/content?path=" + path), 200);
			check(api.delete("/v1/sandboxes/" + id + "/files?path=" + path), 204);
			requests.addAndGet(4);
		}
	}

	private static void check(Api.Response response, int status) {
		if (response.status() != status) {
			throw new IllegalStateException(response.toString());
		}
	}

	private long headSeq() {
		return jdbc.queryForObject("select coalesce(max(seq), 0) from audit_events", Long.class);
	}

}
