package dev.airlock.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.airlock.IntegrationTestSupport;
import dev.airlock.bench.CreateLatencyBenchmark.Stats;
import dev.airlock.pool.PoolFixture;
import dev.airlock.runtime.ContainerLabels;
import dev.airlock.runtime.EngineIdentity;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import static dev.airlock.bench.CreateLatencyBenchmark.rawName;
import static dev.airlock.bench.CreateLatencyBenchmark.timeRawCreate;
import static org.awaitility.Awaitility.await;

/**
 * Warm pools with the default refill settings, against the raw docker-java create+start
 * (hardened as a sandbox is) measured in the same run: 1. the latency of a create a ready
 * member answers, interleaved with raw and with Airlock's own cold create, each timed on
 * an engine with nothing starting; 2. the hit rate of creates arriving at a steady pace,
 * slower than refill, on a small pool; 3. how fast refill fills an empty pool (measured
 * before 2, which takes its pace from it); 4. what a burst larger than a pool costs, its
 * refill held as another replica would hold it. Each part has a policy and a pool of its
 * own, and starts once the members of the parts before it are gone. Prints figures at the
 * end; asserts nothing about time. The per-key rate limit is lifted: it is not what is
 * measured. Run:
 * {@code flock /tmp/airlock-it.lock ./mvnw -Pbench test -Dtest=PoolBenchmark}.
 */
@TestPropertySource(
		properties = { "airlock.security.rate-limit.per-second=100000", "airlock.security.rate-limit.burst=100000" })
class PoolBenchmark extends IntegrationTestSupport {

	/** Rounds of part 1 before its figures, so the JIT has compiled the hit's path. */
	static final int WARMUP = 10;
	static final int RUNS = Integer.getInteger("airlock.bench.runs", 40);
	static final int WARM_POOL = 10;

	static final int STEADY_POOL = 3;
	static final int STEADY_CREATES = 40;

	/**
	 * The pause between two creates of part 2; by default 1.25 times the time refill took
	 * per member in part 3, and at least 400 ms.
	 */
	static final Long ARRIVAL_MILLIS = Long.getLong("airlock.bench.arrival-ms");

	static final int REFILL_POOL = 10;

	static final int BURST_POOL = 4;
	static final int BURST = 12;

	@Autowired
	EngineIdentity engine;

	PoolFixture pools;

	/** The lines each part prints, in the order of the parts. */
	final List<List<String>> report = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
			new ArrayList<>());

	final List<String> made = new ArrayList<>();

	final AtomicInteger raws = new AtomicInteger();

	@Test
	void warmPools() throws Exception {
		pools = new PoolFixture(api, jdbc, engine.engineId());
		try {
			var raw = warmCreates();
			dropPools();
			var perMember = refill();
			dropPools();
			steadyArrival(ARRIVAL_MILLIS != null ? ARRIVAL_MILLIS : Math.max(400, Math.round(1.25 * perMember)),
					perMember);
			dropPools();
			burst(raw);
		}
		finally {
			pools.cleanUp();
		}
		System.out.printf("%nWARM POOLS (ms; default refill settings)%n");
		report.forEach(part -> part.forEach(System.out::println));
		System.out.println();
	}

	/** Part 1: hits against raw and cold creates, each after the pool is full again. */
	private Stats warmCreates() {
		var policy = policy();
		var cold = policy();
		var pool = pool(policy, WARM_POOL);
		var warm = new ArrayList<Double>();
		var raw = new ArrayList<Double>();
		var apiCold = new ArrayList<Double>();
		for (int i = 0; i < WARMUP + RUNS; i++) {
			pools.awaitReady(pool, WARM_POOL);
			var hit = timeCreate(policy);
			if (!hit.pooled()) {
				throw new IllegalStateException("create " + i + " on a full pool was not a hit");
			}
			api.cleanUp();
			pools.awaitReady(pool, WARM_POOL);
			var rawMillis = timeRaw();
			var miss = timeCreate(cold);
			api.cleanUp();
			if (i >= WARMUP) {
				warm.add(hit.millis());
				raw.add(rawMillis);
				apiCold.add(miss.millis());
			}
		}
		var w = Stats.of(warm);
		var r = Stats.of(raw);
		var c = Stats.of(apiCold);
		var lines = report.get(0);
		lines.add(String.format("1. warm create over %d runs, every one a hit (pool of %d, full before each)", RUNS,
				WARM_POOL));
		lines.add(String.format("  %-44s %s", "Airlock POST /v1/sandboxes, source POOL", w.line()));
		lines.add(String.format("  %-44s %s", "Airlock POST /v1/sandboxes, source COLD", c.line()));
		lines.add(String.format("  %-44s %s", "raw docker-java volumes+create+start", r.line()));
		lines.add(String.format("  raw/warm: p50 %.1fx  p95 %.1fx  p99 %.1fx   (cold/warm p50 %.1fx)",
				r.p50() / w.p50(), r.p95() / w.p95(), r.p99() / w.p99(), c.p50() / w.p50()));
		return r;
	}

	/**
	 * Part 2: one create every {@code arrivalMillis} on a small pool, each deleted once
	 * answered.
	 */
	private void steadyArrival(long arrivalMillis, double refillMillisPerMember) throws InterruptedException {
		var policy = policy();
		var pool = pool(policy, STEADY_POOL);
		pools.awaitReady(pool, STEADY_POOL);
		var hits = new ArrayList<Double>();
		var misses = new ArrayList<Double>();
		var began = System.nanoTime();
		for (int i = 0; i < STEADY_CREATES; i++) {
			var due = began + TimeUnit.MILLISECONDS.toNanos(arrivalMillis * i);
			TimeUnit.NANOSECONDS.sleep(due - System.nanoTime());
			var create = timeCreate(policy);
			(create.pooled() ? hits : misses).add(create.millis());
			api.cleanUp();
		}
		var seconds = (System.nanoTime() - began) / 1e9;
		var lines = report.get(1);
		lines.add(String.format(
				"2. steady arrival: %d creates, one every %d ms = %.2f/s (%.2f/s achieved; refill in 3: %.2f/s),"
						+ " pool of %d",
				STEADY_CREATES, arrivalMillis, 1000.0 / arrivalMillis, STEADY_CREATES / seconds,
				1000 / refillMillisPerMember, STEADY_POOL));
		lines.add(String.format("  hits %d/%d = %.1f%%", hits.size(), STEADY_CREATES,
				100.0 * hits.size() / STEADY_CREATES));
		lines.add(String.format("  %-44s %s", "hits (refill running meanwhile)", line(hits)));
		lines.add(String.format("  %-44s %s", "misses", line(misses)));
	}

	/**
	 * Part 3: from a new, empty pool until it holds {@link #REFILL_POOL} ready members;
	 * answers the milliseconds per member.
	 */
	private double refill() {
		var policy = policy();
		var firstReady = new AtomicLong();
		var began = System.nanoTime();
		var pool = pool(policy, REFILL_POOL);
		await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20)).until(() -> {
			var ready = pools.get(pool).json().get("ready").asInt();
			if (ready > 0) {
				firstReady.compareAndSet(0, System.nanoTime());
			}
			return ready == REFILL_POOL;
		});
		var seconds = (System.nanoTime() - began) / 1e9;
		var starts = jdbc.queryForList(
				"select extract(epoch from ready_at - created_at) * 1000 from pool_members where pool = ?",
				Double.class, pool);
		var lines = report.get(2);
		lines.add(String.format(
				"3. refill of an empty pool of %d: all ready after %.2f s = %.2f members/s" + " (first after %.0f ms)",
				REFILL_POOL, seconds, REFILL_POOL / seconds, (firstReady.get() - began) / 1e6));
		lines.add(String.format("  %-44s %s", "one member's start (created -> ready)", line(starts)));
		return seconds * 1000 / REFILL_POOL;
	}

	/** Part 4: {@link #BURST} parallel creates on {@link #BURST_POOL} ready members. */
	private void burst(Stats raw) throws Exception {
		var policy = policy();
		var pool = pool(policy, BURST_POOL);
		pools.awaitReady(pool, BURST_POOL);
		var hits = new ArrayList<Double>();
		var misses = new ArrayList<Double>();
		pools.holdRefill();
		try {
			for (var create : inParallel(() -> timeCreate(policy))) {
				(create.pooled() ? hits : misses).add(create.millis());
			}
		}
		finally {
			pools.releaseRefill();
		}
		api.cleanUp();
		var rawBurst = inParallel(this::timeRaw);
		var lines = report.get(3);
		lines.add(String.format("4. burst of %d parallel creates on %d ready members, refill held during it", BURST,
				BURST_POOL));
		lines.add(String.format("  %-44s %s", "hits " + hits.size(), line(hits)));
		lines.add(String.format("  %-44s %s", "misses " + misses.size(), line(misses)));
		lines.add(String.format("  %-44s %s", "raw, " + BURST + " in parallel", line(rawBurst)));
		lines.add(String.format("  %-44s p50 %7.1f", "raw, one at a time (part 1)", raw.p50()));
	}

	private <T> List<T> inParallel(Callable<T> task) throws Exception {
		var start = new CyclicBarrier(BURST);
		var answers = new ArrayList<Future<T>>();
		try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int i = 0; i < BURST; i++) {
				answers.add(threads.submit(() -> {
					start.await();
					return task.call();
				}));
			}
		}
		var results = new ArrayList<T>();
		for (var answer : answers) {
			results.add(answer.get());
		}
		return results;
	}

	private String pool(String policy, int size) {
		var pool = pools.create(policy, size);
		made.add(pool);
		return pool;
	}

	/**
	 * Deletes the pools so far and waits until refill has removed their members'
	 * containers, so that no part pays for the one before it.
	 */
	private void dropPools() {
		pools.cleanUp();
		await().atMost(Duration.ofMinutes(2))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> docker.client()
				.listContainersCmd()
				.withShowAll(true)
				.withLabelFilter(List.of(ContainerLabels.POOL))
				.exec()
				.stream()
				.noneMatch(c -> made.contains(c.getLabels().get(ContainerLabels.POOL))));
	}

	private String policy() {
		return newPolicy(Map.of("maxSandboxesPerTenant", 200));
	}

	private Create timeCreate(String policy) {
		var start = System.nanoTime();
		var response = api.createSandbox(Map.of("image", IMAGE, "policy", policy));
		var millis = (System.nanoTime() - start) / 1e6;
		if (response.status() != 201) {
			throw new IllegalStateException("create failed: " + response);
		}
		return new Create(millis, response.json().get("source").asString().equals("POOL"));
	}

	private double timeRaw() {
		return timeRawCreate(docker.client(), rawName(1000 + raws.getAndIncrement()));
	}

	/** {@code n=… p50 … p95 … max …} of {@code samples}. */
	private static String line(List<Double> samples) {
		if (samples.isEmpty()) {
			return "n= 0";
		}
		var stats = Stats.of(samples);
		return String.format("n=%2d  p50 %7.1f  p95 %7.1f  max %7.1f", samples.size(), stats.p50(), stats.p95(),
				Collections.max(samples));
	}

	private record Create(double millis, boolean pooled) {
	}

}
