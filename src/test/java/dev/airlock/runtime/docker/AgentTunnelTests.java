package dev.airlock.runtime.docker;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import dev.airlock.IntegrationTestSupport;
import dev.airlock.core.Ids;
import dev.airlock.runtime.ContainerLabels;
import dev.airlock.runtime.ExecSpec;
import dev.airlock.runtime.agent.AgentExec;
import dev.airlock.runtime.agent.AgentFiles;
import dev.airlock.runtime.agent.AgentSession;
import dev.airlock.runtime.agent.AgentTunnel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Egress tunnels end to end: a container whose agent listens on 127.0.0.1:3128 inside its
 * own network namespace (network none, Airlock's seccomp profile, no capabilities), and
 * busybox {@code nc} in it as the sandbox's client, attacked as a hostile process would.
 * The container is started here, outside Airlock's own bookkeeping.
 */
class AgentTunnelTests extends IntegrationTestSupport {

	private static final int PORT = 3128;

	private static final int WINDOW = 64 * 1024;

	/** Built by agent/build.sh next to the agent, never put in the jar. */
	private static final Path NET_PROBE = Path.of("target/agent/net-probe");

	@Autowired
	DockerSettings settings;

	@Autowired
	AgentVolume agentVolume;

	private AgentChannels channels;

	private String id;

	private String container;

	private AgentSession session;

	@BeforeEach
	void start() {
		id = Ids.newId("sbx");
		container = docker.client()
			.createContainerCmd(IMAGE)
			.withName(DockerNames.container(id))
			.withEntrypoint(AgentVolume.AGENT)
			.withCmd("--egress-port", String.valueOf(PORT))
			.withStdinOpen(true)
			.withStdInOnce(false)
			.withTty(false)
			.withUser("65534:65534")
			.withLabels(Map.of(ContainerLabels.SANDBOX_ID, id))
			.withHostConfig(HostConfig.newHostConfig()
				.withNetworkMode("none")
				.withCapDrop(Capability.ALL)
				.withSecurityOpts(List.of("no-new-privileges", SeccompProfile.SECURITY_OPT))
				.withInit(false)
				.withMounts(List.of(agentVolume.mountFor(IMAGE))))
			.exec()
			.getId();
		docker.client().startContainerCmd(container).exec();
		channels = new AgentChannels(settings);
		session = channels.connectFresh(id);
	}

	@AfterEach
	void remove() {
		channels.channels().keySet().forEach(channels::forget);
		docker.client().removeContainerCmd(container).withForce(true).exec();
	}

	@Test
	void bytesFlowBothWaysAndEachSideEndsItsOwn() throws Exception {
		assertThat(session.egressPort()).isEqualTo(PORT);
		try (var tunnel = session.accept(WINDOW)) {
			var client = run("printf ping | nc 127.0.0.1 3128");
			tunnel.awaitAccepted();
			assertThat(tunnel.peerPort()).isPositive();

			// nc shuts its side down at the end of its input, and still reads
			assertThat(new String(tunnel.input().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("ping");
			tunnel.output().write("pong".getBytes(StandardCharsets.UTF_8));
			tunnel.shutdownOutput();

			assertThat(client.get(30, TimeUnit.SECONDS)).isEqualTo(new Result(0, "pong", ""));
		}
	}

	/**
	 * A cancelled tunnel is a reset, never an end that could pass for a complete answer
	 * (busybox nc cannot tell the two apart; the probe can).
	 */
	@Test
	void closingATunnelResetsTheClient() throws Exception {
		var probe = uploadProbe();
		var tunnel = session.accept(WINDOW);
		var client = run(probe + " tls 127.0.0.1:3128 example.org:443 example.org");
		tunnel.awaitAccepted();
		assertThat(head(tunnel.input())).startsWith("CONNECT example.org:443 HTTP/1.1\r\n");
		tunnel.output().write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.UTF_8));
		assertThat(tunnel.input().read()).as("a TLS handshake record").isEqualTo(0x16);

		tunnel.close();

		assertThat(client.get(30, TimeUnit.SECONDS).stdout())
			.isEqualTo("HTTP/1.1 200 Connection established\nECONNRESET\n");
		assertThatThrownBy(() -> tunnel.output().write(1)).isInstanceOf(IOException.class);
	}

	@Test
	void theProbeGetsThroughATunnel() throws Exception {
		var probe = uploadProbe();
		var client = run(probe + " get 127.0.0.1:3128 http://example.org/x 2");
		for (int i = 0; i < 2; i++) {
			try (var tunnel = session.accept(WINDOW)) {
				tunnel.awaitAccepted();
				assertThat(head(tunnel.input()))
					.startsWith("GET http://example.org/x HTTP/1.1\r\nHost: example.org\r\n");
				tunnel.output().write("HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.UTF_8));
				tunnel.shutdownOutput();
			}
		}
		assertThat(client.get(30, TimeUnit.SECONDS).stdout()).matches("204 \\d+\n204 \\d+\n");
	}

	@Test
	void manyTunnelsAtOnce() throws Exception {
		int n = 24;
		var tunnels = new ArrayList<AgentTunnel>();
		for (int i = 0; i < n; i++) {
			tunnels.add(session.accept(WINDOW));
		}
		var client = run("for i in $(seq " + n + "); do (echo client-$i | nc 127.0.0.1 3128 >/tmp/out-$i) & done; "
				+ "wait; cat /tmp/out-* | sort");
		try (var relays = Executors.newVirtualThreadPerTaskExecutor()) {
			for (var tunnel : tunnels) {
				relays.submit(() -> {
					try (tunnel) {
						tunnel.awaitAccepted();
						var asked = tunnel.input().readAllBytes();
						tunnel.output().write("echo:".getBytes(StandardCharsets.UTF_8));
						tunnel.output().write(asked);
						tunnel.shutdownOutput();
					}
					return null;
				});
			}
		}
		var expected = new ArrayList<String>();
		for (int i = 1; i <= n; i++) {
			expected.add("echo:client-" + i);
		}
		expected.sort(null);
		assertThat(client.get(60, TimeUnit.SECONDS).stdout()).isEqualTo(String.join("\n", expected) + "\n");
	}

	/**
	 * A client that sends 32 MiB as fast as it can while Airlock reads nothing: the agent
	 * sends only within the window (beyond it the session would end as the agent's
	 * fault), and every byte arrives once Airlock reads.
	 */
	@Test
	void aClientFloodingWithoutBeingReadIsHeldByTheCredit() throws Exception {
		try (var tunnel = session.accept(WINDOW)) {
			var client = run("dd if=/dev/zero bs=65536 count=512 2>/dev/null | nc 127.0.0.1 3128; echo exit=$?");
			tunnel.awaitAccepted();
			var status = docker.exec(id, "cat", "/proc/1/status").stdout();

			long total = tunnel.input().transferTo(OutputStream.nullOutputStream());
			tunnel.shutdownOutput();

			assertThat(total).isEqualTo(512L * 65536);
			assertThat(client.get(60, TimeUnit.SECONDS).stdout()).isEqualTo("exit=0\n");
			assertThat(session.alive()).isTrue();
			assertThat(residentKib(status)).as(status).isLessThan(16 * 1024);
		}
	}

	@Test
	void aProcessOfTheSandboxCannotTakeThePort() throws Exception {
		var result = run("nc -l -p 3128; echo exit=$?").get(30, TimeUnit.SECONDS);

		assertThat(result.stdout()).isEqualTo("exit=1\n");
		assertThat(result.stderr()).contains("in use");
	}

	/**
	 * Hundreds of connections nobody accepts: the backlog holds them, the agent serves
	 * on, and the next accept takes one of them.
	 */
	@Test
	void aConnectFloodIsHeldInTheBacklog() throws Exception {
		var flood = run("for i in $(seq 200); do nc 127.0.0.1 3128 </dev/null >/dev/null 2>&1 & done; echo started");
		assertThat(flood.get(30, TimeUnit.SECONDS).stdout()).isEqualTo("started\n");

		assertThat(run("echo still serving").get(30, TimeUnit.SECONDS).stdout()).isEqualTo("still serving\n");
		try (var tunnel = session.accept(WINDOW)) {
			tunnel.awaitAccepted();
			assertThat(tunnel.input().read()).isEqualTo(-1);
		}
		var status = docker.exec(id, "cat", "/proc/1/status").stdout();
		assertThat(residentKib(status)).as(status).isLessThan(16 * 1024);
	}

	/**
	 * Another connection's HELLO ends the session: its tunnels are reset, waiting accepts
	 * dropped; the listener stays for the next session.
	 */
	@Test
	void aSessionEndResetsTunnelsAndTheListenerStays() throws Exception {
		var probe = uploadProbe();
		var tunnel = session.accept(WINDOW);
		var client = CompletableFuture
			.supplyAsync(() -> docker.exec(id, probe, "tls", "127.0.0.1:3128", "example.org:443", ""));
		tunnel.awaitAccepted();
		head(tunnel.input());
		tunnel.output().write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.UTF_8));
		assertThat(tunnel.input().read()).isEqualTo(0x16);
		session.accept(WINDOW); // waiting: dropped with the session

		var next = new AgentChannels(settings);
		try {
			var successor = next.session(id);
			assertThat(client.get(30, TimeUnit.SECONDS).stdout())
				.isEqualTo("HTTP/1.1 200 Connection established\nECONNRESET\n");

			assertThat(successor.egressPort()).isEqualTo(PORT);
			session = successor;
			try (var again = successor.accept(WINDOW)) {
				var second = run("printf again | nc 127.0.0.1 3128");
				again.awaitAccepted();
				assertThat(new String(again.input().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("again");
				again.shutdownOutput();
				assertThat(second.get(30, TimeUnit.SECONDS).exitCode()).isZero();
			}
		}
		finally {
			next.channels().keySet().forEach(next::forget);
		}
	}

	/** Uploads agent/probe/net_probe.rs's binary into the container; answers its path. */
	private String uploadProbe() throws Exception {
		assertThat(NET_PROBE).as("the probe (./mvnw package builds it)").exists();
		var bytes = Files.readAllBytes(NET_PROBE);
		AgentFiles.write(session, "/tmp", "/tmp/net-probe", new ByteArrayInputStream(bytes), bytes.length);
		assertThat(run("chmod +x /tmp/net-probe").get(30, TimeUnit.SECONDS).exitCode()).isZero();
		return "/tmp/net-probe";
	}

	/** A request's head, up to its empty line. */
	static String head(InputStream in) throws IOException {
		var head = new ByteArrayOutputStream();
		while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
			int b = in.read();
			if (b < 0) {
				break;
			}
			head.write(b);
		}
		return head.toString(StandardCharsets.ISO_8859_1);
	}

	private CompletableFuture<Result> run(String script) {
		return run(session, id, script, Duration.ofSeconds(60));
	}

	/**
	 * Runs {@code sh -c script} in the sandbox through {@code session}, off this thread.
	 */
	static CompletableFuture<Result> run(AgentSession current, String id, String script, Duration timeout) {
		return CompletableFuture.supplyAsync(() -> {
			var output = new CollectedOutput();
			var outcome = AgentExec.run(current, id,
					new ExecSpec(List.of("sh", "-c", script), Map.of(), null, null, timeout), output);
			return new Result(outcome.exitCode(), output.stdout(), output.stderr());
		}, Executors.newVirtualThreadPerTaskExecutor());
	}

	private static long residentKib(String status) {
		return status.lines()
			.filter(line -> line.startsWith("VmRSS:"))
			.map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")))
			.findFirst()
			.orElseThrow();
	}

	record Result(long exitCode, String stdout, String stderr) {
	}

}
