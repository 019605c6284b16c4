package dev.airlock.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.airlock.Api;
import dev.airlock.IntegrationTest;
import dev.airlock.egress.TestServers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.airlock.IntegrationTestSupport.IMAGE;

/**
 * What the egress gateway adds to one HTTP request: the same client
 * (agent/probe/net_probe.rs, a new connection per request, timed inside the container)
 * fetches the same page from the same busybox httpd, once from a sandbox through its
 * proxy port, the agent's session and the gateway, once from a plain container on the
 * engine's bridge straight to the server. Rounds alternate so both see the same machine.
 * Prints figures; asserts nothing about time. Run:
 * {@code ./mvnw -Pbench test -Dtest=EgressBenchmark}.
 */
@IntegrationTest
class EgressBenchmark {

	static final int ROUNDS = 6;

	static final int REQUESTS = 100;

	static final String SERVER = TestServers.start("bench-page");

	static final Path PROBE = Path.of("target/agent/net-probe").toAbsolutePath();

	@DynamicPropertySource
	static void resolver(DynamicPropertyRegistry registry) {
		registry.add("airlock.egress.hosts[bench.test]", () -> SERVER);
	}

	@Autowired
	Api api;

	@Test
	void egressOverhead() throws IOException {
		var policy = "bench-egress-" + ProcessHandle.current().pid();
		var created = api.post("/v1/policies",
				Map.of("name", policy, "allowedImages", List.of("busybox:*"), "network", "EGRESS", "maxUploadBytes",
						8L << 20, "egressAllowlist",
						List.of("bench.test:" + TestServers.PORT, SERVER + "/32:" + TestServers.PORT)));
		check(created.status() == 201, created.toString());
		var sandbox = api.sandbox(Map.of("image", IMAGE, "policy", policy));
		check(api.upload(sandbox, "/workspace/net-probe", Files.readAllBytes(PROBE)).status() == 201, "upload");
		var direct = TestServers.docker("run", "-d", "--label", "airlock.test=egress", "-v", PROBE + ":/net-probe:ro",
				IMAGE, "sleep", "3600");
		TestServers.removeLater(direct);

		var gateway = new ArrayList<Double>();
		var baseline = new ArrayList<Double>();
		for (int round = 0; round <= ROUNDS; round++) {
			var viaGateway = micros(exec(sandbox, "chmod +x /workspace/net-probe && /workspace/net-probe get "
					+ "127.0.0.1:3128 http://bench.test:" + TestServers.PORT + "/ " + REQUESTS));
			var straight = micros(TestServers.docker("exec", direct, "/net-probe", "direct",
					SERVER + ":" + TestServers.PORT, "/", String.valueOf(REQUESTS)));
			if (round > 0) { // the first round warms both up
				gateway.addAll(viaGateway);
				baseline.addAll(straight);
			}
		}
		var through = CreateLatencyBenchmark.Stats.of(gateway);
		var straight = CreateLatencyBenchmark.Stats.of(baseline);
		System.out.printf("%nEGRESS: one HTTP GET, new connection each, %d requests each way (ms)%n", gateway.size());
		System.out.printf("  %-44s %s%n", "sandbox -> proxy port -> agent -> gateway", through.line());
		System.out.printf("  %-44s %s%n", "plain container -> server (baseline)", straight.line());
		System.out.printf("  added by the gateway: p50 %+.2f ms  p95 %+.2f ms  p99 %+.2f ms;  ratio p50 %.2fx%n%n",
				through.p50() - straight.p50(), through.p95() - straight.p95(), through.p99() - straight.p99(),
				through.p50() / straight.p50());
		api.cleanUp();
	}

	private String exec(String sandbox, String script) {
		var response = api.post("/v1/sandboxes/" + sandbox + "/exec",
				Map.of("command", List.of("sh", "-c", script), "timeoutSeconds", 120));
		check(response.status() == 200 && response.json().get("exitCode").asInt() == 0, response.toString());
		return response.json().get("stdout").asString();
	}

	/**
	 * The probe's lines, {@code <status> <micros>}, as milliseconds; every status 200.
	 */
	private static List<Double> micros(String output) {
		var millis = new ArrayList<Double>();
		for (var line : output.strip().split("\n")) {
			var fields = line.strip().split(" ");
			check(fields.length == 2 && fields[0].equals("200"), "unexpected probe line: " + line);
			millis.add(Long.parseLong(fields[1]) / 1000.0);
		}
		check(millis.size() == REQUESTS, "expected " + REQUESTS + " requests: " + output);
		return millis;
	}

	private static void check(boolean condition, String message) {
		if (!condition) {
			throw new IllegalStateException(message);
		}
	}

}
