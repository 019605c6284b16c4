package dev.airlock.runtime.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.airlock.runtime.ContainerUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.FileSystemUtils;
import org.springframework.util.unit.DataSize;

import static dev.airlock.runtime.docker.FakeEngine.readRequestHead;
import static dev.airlock.runtime.docker.FakeEngine.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kernel's counters read from cgroup trees laid out as each engine and driver lays
 * them out, and the stats API where there is no tree to read.
 */
class CgroupCountersTest {

	static final String ID = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

	static final ContainerUsage EXPECTED = new ContainerUsage(1_500_000_000L, 7, 64, 3, 4_096_000, 33_554_432,
			ContainerUsage.Source.CGROUP);

	@TempDir
	Path root;

	@Test
	void cgroupV1WithTheCgroupfsDriver() throws IOException {
		v1(Map.of("cpuacct", "docker/" + ID, "pids", "docker/" + ID, "memory", "docker/" + ID));

		assertThat(counters().usage("sb1", () -> ID)).contains(EXPECTED);
	}

	@Test
	void cgroupV1WithSystemdAndCpuAndCpuacctMountedTogether() throws IOException {
		var scope = "system.slice/docker-" + ID + ".scope";
		v1(Map.of("cpu,cpuacct", scope, "pids", scope, "memory", scope));

		assertThat(counters().usage("sb1", () -> ID)).contains(EXPECTED);
	}

	@Test
	void cgroupV2WithSystemd() throws IOException {
		v2(root.resolve("system.slice/docker-" + ID + ".scope"), "33554432");

		assertThat(counters().usage("sb1", () -> ID)).contains(EXPECTED);
	}

	@Test
	void cgroupV2WithTheCgroupfsDriverAndNoLimits() throws IOException {
		v2(root.resolve("docker").resolve(ID), "max");

		assertThat(counters().usage("sb1", () -> ID))
			.contains(new ContainerUsage(1_500_000_000L, 7, 64, 3, 4_096_000, -1, ContainerUsage.Source.CGROUP));
	}

	@Test
	void theContainersIdIsResolvedOnceAndAgainAfterAReadFails() throws IOException {
		v1(Map.of("cpuacct", "docker/" + ID, "pids", "docker/" + ID, "memory", "docker/" + ID));
		var counters = counters();
		var lookups = new AtomicInteger();

		for (int i = 0; i < 3; i++) {
			assertThat(counters.usage("sb1", () -> id(lookups))).isPresent();
		}
		assertThat(lookups).hasValue(1);

		FileSystemUtils.deleteRecursively(root.resolve("cpuacct"));
		assertThat(counters.usage("sb1", () -> id(lookups))).isEmpty();
		assertThat(counters.usage("sb1", () -> id(lookups))).isEmpty();
		assertThat(lookups).as("resolved again after the failed read, then kept").hasValue(2);

		counters.forget("sb1");
		assertThat(counters.usage("sb1", () -> id(lookups))).isEmpty();
		assertThat(lookups).hasValue(3);
	}

	@Test
	void noTreeAnswersNothingAndCostsNoFurtherLookups() {
		var counters = counters();
		var lookups = new AtomicInteger();

		assertThat(counters.usage("sb1", () -> id(lookups))).isEmpty();
		assertThat(counters.usage("sb1", () -> id(lookups))).isEmpty();
		assertThat(counters.pidsLimitHits(ID)).isEmpty();
		assertThat(lookups).hasValue(1);
	}

	@Test
	void noIdIsNoContainer() throws IOException {
		v1(Map.of("cpuacct", "docker/" + ID, "pids", "docker/" + ID, "memory", "docker/" + ID));
		Files.writeString(root.resolve("pids/docker/pids.events"), "max 9\n");

		assertThat(counters().pidsLimitHits("")).isEmpty();
		assertThat(counters().usage("sb1", () -> "")).isEmpty();
	}

	@Test
	void aTreeThatAppearsLaterIsFound() throws IOException {
		var counters = counters();
		assertThat(counters.usage("sb1", () -> ID)).isEmpty();

		v2(root.resolve("docker").resolve(ID), "33554432");

		assertThat(counters.usage("sb1", () -> ID)).contains(EXPECTED);
		assertThat(counters.pidsLimitHits(ID)).hasValue(3);
	}

	@Test
	void monitoringReadsTheTreeAndFallsBackToTheStatsApiWithoutIt() throws Exception {
		var requests = new CopyOnWriteArrayList<String>();
		try (var engine = new FakeEngine(root, connection -> {
			var head = readRequestHead(connection);
			requests.add(head.lines().findFirst().orElse(""));
			var body = head.contains("/stats?") ? "{\"id\":\"" + ID
					+ "\",\"cpu_stats\":{\"cpu_usage\":{\"total_usage\":2000000000}},"
					+ "\"memory_stats\":{\"usage\":100,\"limit\":200},\"pids_stats\":{\"current\":2,\"limit\":64}}"
					: "{\"Id\":\"" + ID + "\"}";
			write(connection, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
					+ "\r\n\r\n" + body);
			connection.close();
		})) {
			var settings = new DockerSettings(engine.host(), Duration.ofSeconds(1), Duration.ofSeconds(5), 10,
					DockerSettings.PullPolicy.NEVER, Duration.ofMinutes(1), DataSize.ofMegabytes(1),
					root.resolve("cgroup"), false, null);
			try (var docker = new DockerRuntimeConfiguration().dockerClient(settings)) {
				var monitoring = new DockerMonitoring(docker, settings, new CgroupCounters(settings),
						new AgentChannels(settings));

				var fallback = monitoring.usage("sb1");
				assertThat(fallback).isEqualTo(
						new ContainerUsage(2_000_000_000L, 2, 64, -1, 100, 200, ContainerUsage.Source.STATS_API));

				root = root.resolve("cgroup");
				v1(Map.of("cpuacct", "docker/" + ID, "pids", "docker/" + ID, "memory", "docker/" + ID));
				requests.clear();
				assertThat(monitoring.usage("sb1")).isEqualTo(EXPECTED);
				assertThat(monitoring.usage("sb1")).isEqualTo(EXPECTED);
				assertThat(requests).as("no engine call once the tree is readable").isEmpty();
			}
		}
	}

	private CgroupCounters counters() {
		return new CgroupCounters(new DockerSettings(null, null, null, 1, null, null, null, root, false, null));
	}

	private static String id(AtomicInteger lookups) {
		lookups.incrementAndGet();
		return ID;
	}

	/** A v1 tree: each controller mounted where {@code groups} says, under its group. */
	private void v1(Map<String, String> groups) throws IOException {
		for (var controller : groups.entrySet()) {
			var dir = Files.createDirectories(root.resolve(controller.getKey()).resolve(controller.getValue()));
			switch (controller.getKey()) {
				case "pids" -> pids(dir);
				case "memory" -> {
					Files.writeString(dir.resolve("memory.usage_in_bytes"), "4096000\n");
					Files.writeString(dir.resolve("memory.limit_in_bytes"), "33554432\n");
				}
				default -> Files.writeString(dir.resolve("cpuacct.usage"), "1500000000\n");
			}
		}
	}

	/** A v2 group: every controller's files in one directory. */
	private static void v2(Path dir, String memoryMax) throws IOException {
		Files.createDirectories(dir);
		Files.writeString(dir.resolve("cgroup.controllers"), "cpuset cpu io memory pids\n");
		Files.writeString(dir.resolve("cpu.stat"),
				"usage_usec 1500000\nuser_usec 1000000\nsystem_usec 500000\nnr_periods 0\n");
		Files.writeString(dir.resolve("memory.current"), "4096000\n");
		Files.writeString(dir.resolve("memory.max"), memoryMax + "\n");
		pids(dir);
	}

	private static void pids(Path dir) throws IOException {
		Files.writeString(dir.resolve("pids.current"), "7\n");
		Files.writeString(dir.resolve("pids.max"), "64\n");
		Files.writeString(dir.resolve("pids.events"), "max 3\n");
	}

}
