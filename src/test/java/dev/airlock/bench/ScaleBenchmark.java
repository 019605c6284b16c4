package dev.airlock.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import java.util.stream.Stream;

import dev.airlock.IntegrationTestSupport;
import dev.airlock.runtime.ContainerLabels;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Airlock with N idle sandboxes around (default 300, {@code -Dairlock.bench.sandboxes=N},
 * created through the API {@code -Dairlock.bench.creators} at a time, default 6): the
 * idle cost in CPU of the engine (dockerd, containerd, every containerd-shim) and of this
 * JVM over {@code -Dairlock.bench.idle-seconds} (default 30); exec round trips against
 * the same with one sandbox, measured first; the time to kill a CPU budget and a fork
 * bomb among them; and memory, the JVM's and per sandbox. The per-key rate limit is
 * lifted: it is not what is measured. Reads {@code /proc} and the host's cgroup v1 tree,
 * so the engine must run on this host. Prints a table; asserts nothing about time. Run:
 * {@code flock /tmp/airlock-it.lock ./mvnw -Pbench test -Dtest=ScaleBenchmark}.
 */
@TestPropertySource(
		properties = { "airlock.security.rate-limit.per-second=100000", "airlock.security.rate-limit.burst=100000" })
class ScaleBenchmark extends IntegrationTestSupport {

	static final int SANDBOXES = Integer.getInteger("airlock.bench.sandboxes", 300);
	static final int CREATORS = Integer.getInteger("airlock.bench.creators", 6);
	static final Duration IDLE_WINDOW = Duration.ofSeconds(Long.getLong("airlock.bench.idle-seconds", 30));
	static final int EXEC_WARMUP = 20;

	/** Execs before the first figure, so it is not taken while the JIT still compiles. */
	static final int JIT_WARMUP = 500;
	static final int EXEC_RUNS = 200;
	static final int KILL_RUNS = 3;
	static final Path CGROUP = Path.of("/sys/fs/cgroup");
	static final long CLOCK_TICKS = clockTicks();

	@Test
	void atScale() throws Exception {
		var ids = Collections.synchronizedList(new ArrayList<String>());
		try {
			var policy = newPolicy(Map.of("maxSandboxesPerTenant", SANDBOXES + 10, "defaultTtlSeconds", 7200,
					"maxTtlSeconds", 7200, "idleTimeoutSeconds", 7200));
			var first = sandbox(Map.of("policy", policy));
			ids.add(first);

			for (int i = 0; i < JIT_WARMUP; i++) {
				exec(first, Map.of("command", List.of("true")));
			}
			var execOne = execLatency(List.of(first));
			var idleOne = idleCost(containers(ids));
			var memoryOne = memory(containers(ids));

			var began = System.nanoTime();
			var failures = startIdle(policy, SANDBOXES - 1, ids);
			var startup = Duration.ofNanos(System.nanoTime() - began);
			var containers = containers(ids);

			var execN = execLatency(List.of(first));
			var execSpread = execLatency(new ArrayList<>(ids));
			var idleN = idleCost(containers);
			var memoryN = memory(containers);

			var cpu = newPolicy(Map.of("cpuBudgetSeconds", 1));
			var cpuKills = new ArrayList<Double>();
			for (int i = 0; i < KILL_RUNS; i++) {
				cpuKills.add(timeToKill(cpu, List.of("sh", "-c", "while :; do :; done"), "CPU_BUDGET",
						"cpuacct/docker/%s/cpuacct.usage", usage -> usage >= 1_000_000_000L, ScaleBenchmark::number));
			}
			var pids = newPolicy(Map.of("pidsLimit", 32));
			var pidsKills = new ArrayList<Double>();
			for (int i = 0; i < KILL_RUNS; i++) {
				pidsKills.add(timeToKill(pids, List.of("sh", "-c", "b() { b | b & }; b; sleep 60"), "PIDS_LIMIT",
						"pids/docker/%s/pids.events", max -> max > 0, ScaleBenchmark::maxEvents));
			}

			var n = ids.size();
			System.out.printf(
					"%nSCALE: %d idle sandboxes (asked %d; %d creates failed%s), started in %d s, %d at a"
							+ " time, %d CPUs%n",
					n, SANDBOXES, failures.size(), failures.isEmpty() ? "" : ", first: " + failures.peek(),
					startup.toSeconds(), CREATORS, Runtime.getRuntime().availableProcessors());
			System.out.printf("%n  IDLE COST over %d s, %% of one core%n", IDLE_WINDOW.toSeconds());
			System.out.printf("  %-44s %12s %12s%n", "", "1 sandbox", n + " sandboxes");
			for (var who : List.of("dockerd", "containerd", "containerd-shim (ours)", "containerd-shim (others)",
					"Airlock JVM (this process)")) {
				System.out.printf("  %-44s %12.2f %12.2f%n", who, idleOne.percent(who), idleN.percent(who));
			}
			System.out.printf("  %-44s %12.2f %12.2f%n", "TOTAL engine + shims + JVM", idleOne.total(), idleN.total());
			System.out.printf("  %-44s %12.2f %12.2f%n", "(sandboxes' own cgroups, agents: not in total)",
					idleOne.percent("sandboxes"), idleN.percent("sandboxes"));
			System.out.printf("  %-44s %12s %12s%n", "shim processes (ours/all)", idleOne.shims(), idleN.shims());

			System.out.printf(
					"%n  EXEC `true` through the API, %d runs after %d warm-up (%d more before the first) (ms)%n",
					EXEC_RUNS, EXEC_WARMUP, JIT_WARMUP);
			System.out.printf("  %-44s %s%n", "1 sandbox", execOne.line());
			System.out.printf("  %-44s %s%n", n + " around, same sandbox", execN.line());
			System.out.printf("  %-44s %s%n", n + " around, round robin over all", execSpread.line());
			System.out.printf("  %-44s p50 %.2fx  p95 %.2fx  p99 %.2fx%n", "ratio N/1 (same sandbox)",
					execN.p50() / execOne.p50(), execN.p95() / execOne.p95(), execN.p99() / execOne.p99());
			System.out.printf("  %-44s p50 %.2fx  p95 %.2fx  p99 %.2fx%n", "ratio N/1 (round robin)",
					execSpread.p50() / execOne.p50(), execSpread.p95() / execOne.p95(),
					execSpread.p99() / execOne.p99());

			System.out.printf("%n  TIME TO KILL with %d around (ms, each run)%n", n);
			System.out.printf("  %-44s %s%n", "CPU budget 1 s: cgroup reaches 1 s -> endedAt", runs(cpuKills));
			System.out.printf("  %-44s %s%n", "pids 32: first refused fork -> endedAt", runs(pidsKills));

			System.out.printf("%n  MEMORY (MiB)%n");
			System.out.printf("  %-44s %12s %12s%n", "", "1 sandbox", n + " sandboxes");
			System.out.printf("  %-44s %12.1f %12.1f%n", "Airlock JVM RSS", memoryOne.jvmRss(), memoryN.jvmRss());
			System.out.printf("  %-44s %12.1f %12.1f%n", "Airlock JVM heap used", memoryOne.heapUsed(),
					memoryN.heapUsed());
			System.out.printf("  %-44s %12.1f %12.1f%n", "dockerd + containerd RSS", memoryOne.engineRss(),
					memoryN.engineRss());
			System.out.printf("  %-44s %12.2f %12.2f%n", "per sandbox: cgroup memory.usage_in_bytes",
					memoryOne.cgroupUsage(), memoryN.cgroupUsage());
			System.out.printf("  %-44s %12.2f %12.2f%n", "per sandbox: cgroup rss (memory.stat)", memoryOne.cgroupRss(),
					memoryN.cgroupRss());
			System.out.printf("  %-44s %12.2f %12.2f%n", "per sandbox: its shim's RSS", memoryOne.shimRss(),
					memoryN.shimRss());
			System.out.printf("  %-44s %12.2f %12.2f%n", "per sandbox: cgroup usage + shim RSS",
					memoryOne.cgroupUsage() + memoryOne.shimRss(), memoryN.cgroupUsage() + memoryN.shimRss());
			System.out.printf("  %-44s %12.2f %12.2f%n", "JVM RSS growth per sandbox", 0.0,
					(memoryN.jvmRss() - memoryOne.jvmRss()) / Math.max(1, n - 1));
			System.out.println();
		}
		finally {
			var began = System.nanoTime();
			removeAll(ids);
			api.cleanUp();
			var left = docker.client()
				.listContainersCmd()
				.withShowAll(true)
				.withLabelFilter(List.of(ContainerLabels.SANDBOX_ID))
				.exec();
			System.out.printf("CLEANUP: %d sandboxes deleted in %d s; Airlock containers left on the engine: %d%n%n",
					ids.size(), (System.nanoTime() - began) / 1_000_000_000L, left.size());
		}
	}

	private CreateLatencyBenchmark.Stats execLatency(List<String> sandboxes) {
		var samples = new ArrayList<Double>();
		for (int i = 0; i < EXEC_WARMUP + EXEC_RUNS; i++) {
			var id = sandboxes.get(i % sandboxes.size());
			var start = System.nanoTime();
			var response = exec(id, Map.of("command", List.of("true")));
			var millis = (System.nanoTime() - start) / 1e6;
			if (response.status() != 200) {
				throw new IllegalStateException(response.toString());
			}
			if (i >= EXEC_WARMUP) {
				samples.add(millis);
			}
		}
		return CreateLatencyBenchmark.Stats.of(samples);
	}

	/** Starts {@code count} more; answers the failures, and adds each started one. */
	private ConcurrentLinkedQueue<String> startIdle(String policy, int count, List<String> ids) {
		var failures = new ConcurrentLinkedQueue<String>();
		try (var pool = Executors.newFixedThreadPool(CREATORS)) {
			for (int i = 0; i < count; i++) {
				pool.submit(() -> {
					if (failures.size() >= 10) {
						return; // the engine is done for; stop at what works
					}
					try {
						ids.add(sandbox(Map.of("policy", policy)));
					}
					catch (Throwable e) {
						failures.add(String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
					}
				});
			}
		}
		return failures;
	}

	private void removeAll(List<String> ids) {
		try (var pool = Executors.newFixedThreadPool(CREATORS)) {
			for (var id : List.copyOf(ids)) {
				pool.submit(() -> api.delete("/v1/sandboxes/" + id));
			}
		}
	}

	/** Sandbox id to container id, for those of {@code ids}. */
	private Map<String, String> containers(List<String> ids) {
		var wanted = List.copyOf(ids);
		var byId = new HashMap<String, String>();
		for (var container : docker.client()
			.listContainersCmd()
			.withLabelFilter(List.of(ContainerLabels.SANDBOX_ID))
			.exec()) {
			var sandbox = container.getLabels().get(ContainerLabels.SANDBOX_ID);
			if (wanted.contains(sandbox)) {
				byId.put(sandbox, container.getId());
			}
		}
		return byId;
	}

	/**
	 * Milliseconds from the violation, as the host's cgroup file shows it (polled every
	 * millisecond or so: the figure is at most that much short), to {@code endedAt}.
	 */
	private double timeToKill(String policy, List<String> command, String reason, String file, LongPredicate violated,
			CounterReader reader) throws Exception {
		var id = sandbox(Map.of("policy", policy));
		var counter = CGROUP.resolve(file.formatted(containers(List.of(id)).get(id)));
		Thread.ofVirtual().start(() -> exec(id, Map.of("command", command, "timeoutSeconds", 60)));
		Instant crossed = null;
		var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (crossed == null && System.nanoTime() < deadline) {
			try {
				if (violated.test(reader.read(counter))) {
					crossed = Instant.now();
				}
			}
			catch (IOException gone) {
				break; // ended before the counter showed it
			}
			Thread.sleep(1);
		}
		var ended = awaitEnd(id, Duration.ofSeconds(60));
		if (!ended.get("endReason").asString().equals(reason) || crossed == null) {
			throw new IllegalStateException("not killed for " + reason + " (crossed " + crossed + "): " + ended);
		}
		return Duration.between(crossed, Instant.parse(ended.get("endedAt").asString())).toNanos() / 1e6;
	}

	/** CPU used over the idle window, by whom, as % of one core. */
	private Idle idleCost(Map<String, String> ours) throws Exception {
		var before = cpuTicks(ours);
		var sandboxesBefore = sandboxCpuNanos(ours);
		var start = System.nanoTime();
		Thread.sleep(IDLE_WINDOW);
		var after = cpuTicks(ours);
		var sandboxesAfter = sandboxCpuNanos(ours);
		var seconds = (System.nanoTime() - start) / 1e9;
		var percent = new HashMap<String, Double>();
		for (var entry : after.entrySet()) {
			var pid = entry.getKey();
			if (before.containsKey(pid)) {
				var used = (entry.getValue().ticks() - before.get(pid).ticks()) / (double) CLOCK_TICKS;
				percent.merge(entry.getValue().who(), 100 * used / seconds, Double::sum);
			}
		}
		percent.put("sandboxes", 100 * (sandboxesAfter - sandboxesBefore) / 1e9 / seconds);
		var shims = after.values().stream().filter(p -> p.who().equals("containerd-shim (ours)")).count();
		var allShims = after.values().stream().filter(p -> p.who().startsWith("containerd-shim")).count();
		return new Idle(percent, shims + "/" + allShims);
	}

	/** utime + stime of the engine's processes and this JVM, by pid. */
	private static Map<Long, Ticks> cpuTicks(Map<String, String> ours) throws IOException {
		var ticks = new HashMap<Long, Ticks>();
		var self = ProcessHandle.current().pid();
		for (var process : processes()) {
			String who;
			if (process.pid() == self) {
				who = "Airlock JVM (this process)";
			}
			else if (process.comm().equals("dockerd") || process.comm().equals("containerd")) {
				who = process.comm();
			}
			else if (process.comm().startsWith("containerd-shim")) {
				who = ours.values().stream().anyMatch(process.cmdline()::contains) ? "containerd-shim (ours)"
						: "containerd-shim (others)";
			}
			else {
				continue;
			}
			ticks.put(process.pid(), new Ticks(who, process.cpuTicks(), process.rssKb()));
		}
		return ticks;
	}

	private static long sandboxCpuNanos(Map<String, String> ours) {
		long sum = 0;
		for (var container : ours.values()) {
			try {
				sum += number(CGROUP.resolve("cpuacct/docker/" + container + "/cpuacct.usage"));
			}
			catch (IOException gone) {
				// ended meanwhile
			}
		}
		return sum;
	}

	private Memory memory(Map<String, String> ours) throws IOException {
		double usage = 0;
		double rss = 0;
		for (var container : ours.values()) {
			var dir = CGROUP.resolve("memory/docker/" + container);
			usage += number(dir.resolve("memory.usage_in_bytes"));
			rss += Files.readAllLines(dir.resolve("memory.stat"))
				.stream()
				.filter(line -> line.startsWith("total_rss "))
				.mapToLong(line -> Long.parseLong(line.substring("total_rss ".length())))
				.sum();
		}
		var processes = cpuTicks(ours).values();
		var shims = processes.stream()
			.filter(p -> p.who().equals("containerd-shim (ours)"))
			.mapToLong(Ticks::rssKb)
			.sum();
		var engine = processes.stream()
			.filter(p -> p.who().equals("dockerd") || p.who().equals("containerd"))
			.mapToLong(Ticks::rssKb)
			.sum();
		var jvm = processes.stream().filter(p -> p.who().startsWith("Airlock")).mapToLong(Ticks::rssKb).sum();
		var runtime = Runtime.getRuntime();
		var n = Math.max(1, ours.size());
		var mib = 1024.0 * 1024;
		return new Memory(jvm / 1024.0, (runtime.totalMemory() - runtime.freeMemory()) / mib, engine / 1024.0,
				usage / n / mib, rss / n / mib, shims / 1024.0 / n);
	}

	private static List<Proc> processes() throws IOException {
		var found = new ArrayList<Proc>();
		try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
			for (var dir : entries.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
				try {
					var stat = Files.readString(dir.resolve("stat"));
					var comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
					var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
					if (fields[0].equals("Z")) {
						continue; // a zombie uses nothing
					}
					// fields from the state on: utime is the 14th of stat, the 12th here
					var ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
					var rssPages = Long.parseLong(fields[21]);
					var cmdline = Files.readString(dir.resolve("cmdline")).replace('\0', ' ');
					found.add(
							new Proc(Long.parseLong(dir.getFileName().toString()), comm, cmdline, ticks, rssPages * 4));
				}
				catch (IOException | RuntimeException gone) {
					// exited meanwhile
				}
			}
		}
		return found;
	}

	private static long number(Path file) throws IOException {
		return Long.parseLong(Files.readString(file).trim());
	}

	private static long maxEvents(Path file) throws IOException {
		for (var line : Files.readAllLines(file)) {
			if (line.startsWith("max ")) {
				return Long.parseLong(line.substring(4).trim());
			}
		}
		return 0;
	}

	private static String runs(List<Double> samples) {
		var text = new StringBuilder();
		samples.forEach(s -> text.append(String.format("%7.0f", s)));
		var stats = CreateLatencyBenchmark.Stats.of(samples);
		return text + String.format("   (median %.0f, max %.0f)", stats.p50(),
				samples.stream().mapToDouble(d -> d).max().orElse(0));
	}

	private static long clockTicks() {
		try {
			var process = new ProcessBuilder("getconf", "CLK_TCK").start();
			return Long.parseLong(new String(process.getInputStream().readAllBytes()).trim());
		}
		catch (IOException | RuntimeException e) {
			return 100;
		}
	}

	@FunctionalInterface
	interface CounterReader {

		long read(Path file) throws IOException;

	}

	record Proc(long pid, String comm, String cmdline, long cpuTicks, long rssKb) {
	}

	record Ticks(String who, long ticks, long rssKb) {
	}

	record Idle(Map<String, Double> percents, String shims) {

		double percent(String who) {
			return percents.getOrDefault(who, 0.0);
		}

		double total() {
			return percents.entrySet()
				.stream()
				.filter(e -> !e.getKey().equals("sandboxes"))
				.mapToDouble(Map.Entry::getValue)
				.sum();
		}

	}

	record Memory(double jvmRss, double heapUsed, double engineRss, double cgroupUsage, double cgroupRss,
			double shimRss) {
	}

}
