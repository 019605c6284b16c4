package dev.airlock.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.VolumeOptions;
import dev.airlock.Api;
import dev.airlock.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static dev.airlock.IntegrationTestSupport.IMAGE;

/**
 * Create latency through Airlock's API against raw docker-java create+start with the same
 * hardening, interleaved in one process so both see the same machine. Prints figures;
 * asserts nothing about time. Run:
 * {@code ./mvnw -Pbench test -Dtest=CreateLatencyBenchmark}.
 */
@IntegrationTest
public class CreateLatencyBenchmark {

	static final int WARMUP = 3;
	static final int RUNS = 30;

	@Autowired
	Api api;

	@Autowired
	DockerClient docker;

	@Test
	void createLatency() {
		for (int i = 0; i < WARMUP; i++) {
			timeApiCreate();
			timeRawCreate(docker, rawName(i));
		}
		var apiMillis = new ArrayList<Double>();
		var rawMillis = new ArrayList<Double>();
		for (int i = 0; i < RUNS; i++) {
			apiMillis.add(timeApiCreate());
			rawMillis.add(timeRawCreate(docker, rawName(WARMUP + i)));
		}
		var api = Stats.of(apiMillis);
		var raw = Stats.of(rawMillis);
		System.out.printf("%nCREATE LATENCY over %d runs (ms)%n", RUNS);
		System.out.printf("  %-42s %s%n", "Airlock POST /v1/sandboxes -> 201", api.line());
		System.out.printf("  %-42s %s%n", "raw docker-java volumes+create+start", raw.line());
		System.out.printf("  ratio Airlock/raw: p50 %.2fx  p95 %.2fx  p99 %.2fx%n%n", api.p50() / raw.p50(),
				api.p95() / raw.p95(), api.p99() / raw.p99());
	}

	private double timeApiCreate() {
		var start = System.nanoTime();
		var response = api.createSandbox(Map.of("image", IMAGE));
		var millis = (System.nanoTime() - start) / 1e6;
		if (response.status() != 201) {
			throw new IllegalStateException("create failed: " + response);
		}
		api.cleanUp();
		return millis;
	}

	/** A name of this process's own for the {@code n}th raw container. */
	static String rawName(int n) {
		return "airlock-bench-raw-" + ProcessHandle.current().pid() + "-" + n;
	}

	/**
	 * The raw baseline: volumes, create and start of a container hardened as a sandbox
	 * is, timed; then removed with its volumes. Answers the milliseconds.
	 */
	static double timeRawCreate(DockerClient docker, String name) {
		var start = System.nanoTime();
		var mounts = new ArrayList<Mount>();
		var paths = List.of("/workspace", "/tmp");
		for (int i = 0; i < paths.size(); i++) {
			docker.createVolumeCmd()
				.withName(name + "-" + i)
				.withDriver("local")
				.withDriverOpts(Map.of("type", "tmpfs", "device", "tmpfs", "o",
						"size=512m,uid=1000,gid=1000,mode=0755,nosuid,nodev"))
				.exec();
			mounts.add(new Mount().withType(MountType.VOLUME)
				.withSource(name + "-" + i)
				.withTarget(paths.get(i))
				.withVolumeOptions(new VolumeOptions().withNoCopy(true)));
		}
		var id = docker.createContainerCmd(IMAGE)
			.withName(name)
			.withEntrypoint("sleep")
			.withCmd("infinity")
			.withUser("1000:1000")
			.withWorkingDir("/workspace")
			.withHostConfig(HostConfig.newHostConfig()
				.withCapDrop(Capability.ALL)
				.withSecurityOpts(List.of("no-new-privileges"))
				.withReadonlyRootfs(true)
				.withMounts(mounts)
				.withMemory(512L << 20)
				.withMemorySwap(512L << 20)
				.withNanoCPUs(1_000_000_000L)
				.withPidsLimit(128L)
				.withNetworkMode("none")
				.withInit(true)
				.withRestartPolicy(RestartPolicy.noRestart())
				.withLogConfig(new LogConfig(LogConfig.LoggingType.JSON_FILE, Map.of("max-size", "10m"))))
			.exec()
			.getId();
		docker.startContainerCmd(id).exec();
		var millis = (System.nanoTime() - start) / 1e6;
		docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
		for (int i = 0; i < paths.size(); i++) {
			docker.removeVolumeCmd(name + "-" + i).exec();
		}
		return millis;
	}

	/** Percentiles of samples, for every benchmark's figures. */
	public record Stats(double p50, double p95, double p99) {

		public static Stats of(List<Double> samples) {
			var sorted = samples.stream().mapToDouble(Double::doubleValue).toArray();
			Arrays.sort(sorted);
			return new Stats(percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 99));
		}

		/** {@code p50 … p95 … p99 …}, one decimal. */
		public String line() {
			return String.format("p50 %7.1f  p95 %7.1f  p99 %7.1f", p50, p95, p99);
		}

		/** Nearest-rank percentile. */
		static double percentile(double[] sorted, int p) {
			int rank = (int) Math.ceil(p / 100.0 * sorted.length);
			return sorted[Math.max(0, rank - 1)];
		}
	}

}
