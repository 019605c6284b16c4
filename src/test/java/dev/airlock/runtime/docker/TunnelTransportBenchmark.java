package dev.airlock.runtime.docker;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import dev.airlock.IntegrationTestSupport;
import dev.airlock.bench.CreateLatencyBenchmark;
import dev.airlock.core.Ids;
import dev.airlock.egress.TestServers;
import dev.airlock.runtime.ContainerLabels;
import dev.airlock.runtime.ExecSpec;
import dev.airlock.runtime.agent.AgentExec;
import dev.airlock.runtime.agent.AgentFiles;
import dev.airlock.runtime.agent.AgentSession;
import dev.airlock.runtime.agent.AgentTunnel;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The breakdown of {@code EgressBenchmark}: what the engine's attach stream alone costs
 * an egress request. The same client (net-probe, a new connection per request) asks a
 * sandbox's proxy port, and Airlock answers {@code 204} the moment the request arrives on
 * the agent's session — no gateway, no destination; the baseline is the same client
 * straight to a busybox httpd from a plain container. Prints figures; asserts nothing
 * about time. Run: {@code ./mvnw -Pbench test -Dtest=TunnelTransportBenchmark}.
 */
class TunnelTransportBenchmark extends IntegrationTestSupport {

	static final int REQUESTS = 300;

	static final Path PROBE = Path.of("target/agent/net-probe").toAbsolutePath();

	@Autowired
	DockerSettings settings;

	@Autowired
	AgentVolume agentVolume;

	@Test
	void attachStreamRoundTrip() throws Exception {
		var server = TestServers.start("bench-page");
		var plain = TestServers.docker("run", "-d", "--label", "airlock.test=egress", "-v", PROBE + ":/net-probe:ro",
				IMAGE, "sleep", "3600");
		TestServers.removeLater(plain);
		var id = Ids.newId("sbx");
		var container = docker.client()
			.createContainerCmd(IMAGE)
			.withName(DockerNames.container(id))
			.withEntrypoint(AgentVolume.AGENT)
			.withCmd("--egress-port", "3128")
			.withStdinOpen(true)
			.withTty(false)
			.withUser("65534:65534")
			.withLabels(Map.of(ContainerLabels.SANDBOX_ID, id))
			.withHostConfig(HostConfig.newHostConfig()
				.withNetworkMode("none")
				.withCapDrop(Capability.ALL)
				.withMounts(List.of(agentVolume.mountFor(IMAGE))))
			.exec()
			.getId();
		docker.client().startContainerCmd(container).exec();
		var channels = new AgentChannels(settings);
		try {
			var session = channels.connectFresh(id);
			var bytes = Files.readAllBytes(PROBE);
			AgentFiles.write(session, "/tmp", "/tmp/net-probe", new ByteArrayInputStream(bytes), bytes.length);
			run(session, id, "chmod +x /tmp/net-probe").get(30, TimeUnit.SECONDS);

			var tunnel = new ArrayList<Double>();
			var baseline = new ArrayList<Double>();
			for (int round = 0; round < 3; round++) {
				tunnel.addAll(answered(session, id));
				baseline.addAll(millis(TestServers.docker("exec", plain, "/net-probe", "direct", server + ":8080", "/",
						String.valueOf(REQUESTS)), "200"));
			}
			var through = CreateLatencyBenchmark.Stats.of(tunnel);
			var straight = CreateLatencyBenchmark.Stats.of(baseline);
			System.out.printf("%nEGRESS TRANSPORT: one request and a 204, new connection each, %d each way (ms)%n",
					tunnel.size());
			System.out.printf("  %-52s %s%n", "sandbox -> proxy port -> agent -> attach -> Airlock", through.line());
			System.out.printf("  %-52s %s%n", "plain container -> busybox httpd (baseline)", straight.line());
			System.out.printf("  the attach stream's round trip: p50 %.2f ms (%.2fx the whole direct request)%n%n",
					through.p50(), through.p50() / straight.p50());
		}
		finally {
			channels.channels().keySet().forEach(channels::forget);
			docker.client().removeContainerCmd(container).withForce(true).exec();
		}
	}

	/**
	 * The probe's requests, each answered {@code 204} by Airlock as soon as it arrives.
	 */
	private static List<Double> answered(AgentSession session, String id) throws Exception {
		var client = run(session, id, "/tmp/net-probe get 127.0.0.1:3128 http://bench.test/ " + REQUESTS);
		var waiting = new ArrayDeque<AgentTunnel>();
		for (int i = 0; i < 4; i++) {
			waiting.add(session.accept(64 * 1024));
		}
		for (int i = 0; i < REQUESTS; i++) {
			var tunnel = waiting.poll();
			waiting.add(session.accept(64 * 1024));
			tunnel.awaitAccepted();
			AgentTunnelTests.head(tunnel.input());
			tunnel.output().write("HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			tunnel.shutdownOutput();
			Thread.ofVirtual().start(tunnel::close);
		}
		waiting.forEach(AgentTunnel::close);
		var output = client.get(60, TimeUnit.SECONDS);
		return millis(output, "204");
	}

	/**
	 * The probe's lines, {@code <status> <micros>}, as milliseconds; every one
	 * {@code status}.
	 */
	private static List<Double> millis(String output, String status) {
		var millis = new ArrayList<Double>();
		for (var line : output.strip().split("\n")) {
			var fields = line.strip().split(" ");
			if (fields.length != 2 || !fields[0].equals(status)) {
				throw new IllegalStateException("unexpected probe line: " + line);
			}
			millis.add(Long.parseLong(fields[1]) / 1000.0);
		}
		return millis;
	}

	private static CompletableFuture<String> run(AgentSession session, String id, String script) {
		return CompletableFuture.supplyAsync(() -> {
			var output = new CollectedOutput();
			AgentExec.run(session, id,
					new ExecSpec(List.of("sh", "-c", script), Map.of(), null, null, Duration.ofSeconds(120)), output);
			return output.stdout();
		});
	}

}
