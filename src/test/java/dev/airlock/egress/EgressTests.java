package dev.airlock.egress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.airlock.Api;
import dev.airlock.IntegrationTestSupport;
import dev.airlock.SecondInstance;
import dev.airlock.policy.EgressRule;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Egress as a hostile program inside a sandbox meets it: every request made from inside
 * real sandboxes, through the agent's proxy port and the gateway, to servers of our own
 * ({@link TestServers}). Test names reach them through the resolver setting
 * ({@code airlock.egress.hosts}); addresses that belong to nobody here (link-local,
 * public) are only ever decided, never connected to.
 */
class EgressTests extends IntegrationTestSupport {

	static final String ALLOWED_IP = TestServers.start("allowed-page");

	static final String OTHER_IP = TestServers.start("other-page");

	static final String GATEWAY_IP = TestServers.bridgeGateway();

	/** Sends back what it got for two seconds, then hangs up: shows what reached it. */
	static final String ECHO_IP = TestServers
		.run("while true; do nc -l -p " + TestServers.PORT + " -e timeout 2 cat; done");

	/** Built by agent/build.sh next to the agent, never put in the jar. */
	static final Path PROBE = Path.of("target/agent/net-probe");

	@DynamicPropertySource
	static void resolver(DynamicPropertyRegistry registry) {
		registry.add("airlock.egress.hosts[allowed.test]", () -> ALLOWED_IP);
		registry.add("airlock.egress.idle-timeout", () -> "5s");
		registry.add("airlock.egress.hosts[denied.test]", () -> OTHER_IP);
		registry.add("airlock.egress.hosts[echo.test]", () -> ECHO_IP);
		registry.add("airlock.egress.hosts[private.test]", () -> OTHER_IP);
		registry.add("airlock.egress.hosts[loopback.test]", () -> "127.0.0.1");
		registry.add("airlock.egress.hosts[metadata.test]", () -> "169.254.169.254");
		registry.add("airlock.egress.hosts[airlock.test]", () -> GATEWAY_IP);
		registry.add("airlock.egress.hosts[public.test]", () -> "93.184.215.14");
	}

	@LocalServerPort
	int port;

	@Autowired
	EgressGuard guard;

	String policy;

	@BeforeEach
	void egressPolicy() {
		policy = newPolicy(Map.of("network", "EGRESS", "maxUploadBytes", 8L << 20, "egressAllowlist",
				List.of("allowed.test:8080", "allowed.test:8081", "*.allowed.test:8080", "echo.test:8080",
						ECHO_IP + "/32:8080", ALLOWED_IP + "/32:8080", "private.test:8080", "loopback.test:8080",
						"metadata.test", "airlock.test:" + port, GATEWAY_IP + "/32:" + port)));
	}

	@Test
	void anAllowedNameAnswersThroughTheGateway() {
		var id = sandbox(Map.of("policy", policy));

		var result = sh(id, "wget -q -O - http://allowed.test:8080/");

		assertThat(result.get("stdout").asString()).as(result.toString()).isEqualTo("allowed-page\n");
		assertThat(result.get("egressDenied")).isEmpty();
		assertThat(decisions(id)).contains("ALLOWED allowed.test:8080");
	}

	@Test
	void aNameNotInTheListIsRefusedAndTheExecSaysWhich() {
		var id = sandbox(Map.of("policy", policy));

		var result = sh(id, "wget -O - http://denied.test:8080/");

		assertThat(result.get("exitCode").asInt()).isNotZero();
		assertThat(result.get("stderr").asString()).contains("403");
		assertThat(result.get("stdout").asString()).doesNotContain("other-page");
		assertThat(strings(result.get("egressDenied"))).containsExactly("denied.test:8080");
		assertThat(decisions(id)).contains("DENIED denied.test:8080");
	}

	@Test
	void whatADeniedRequestLooksLikeInside() {
		var id = sandbox(Map.of("policy", policy));

		var result = sh(id, "printf 'GET http://denied.test:8080/ HTTP/1.1\\r\\nHost: denied.test:8080\\r\\n\\r\\n'"
				+ " | nc 127.0.0.1 3128");

		var answer = result.get("stdout").asString();
		assertThat(answer).startsWith("HTTP/1.1 403 Forbidden\r\n")
			.contains("X-Airlock-Egress: denied\r\n")
			.endsWith("\r\n\r\nAirlock egress gateway: connections to denied.test:8080 are not allowed"
					+ " (not in egressAllowlist)\n");
	}

	@Test
	void aServerOfOursOutsideTheListIsRefusedByAddress() {
		var id = sandbox(Map.of("policy", policy));

		var result = sh(id, "wget -O - http://" + OTHER_IP + ":8080/");

		assertThat(result.get("stderr").asString()).contains("403");
		assertThat(strings(result.get("egressDenied"))).containsExactly(OTHER_IP + ":8080");
	}

	@Test
	void aListedNameThatResolvesToAPrivateOrLoopbackAddressIsRefused() {
		var id = sandbox(Map.of("policy", policy));

		var result = sh(id, "wget -O - http://private.test:8080/; wget -O - http://loopback.test:8080/");

		assertThat(result.get("stdout").asString()).isEmpty();
		assertThat(strings(result.get("egressDenied"))).containsExactly("private.test:8080", "loopback.test:8080");
	}

	@Test
	void airlocksOwnPortIsRefusedEvenWhenAnAdminNamesItsRange() {
		var id = sandbox(Map.of("policy", policy));

		var result = sh(id, "wget -O - http://airlock.test:" + port + "/actuator/health; wget -O - http://" + GATEWAY_IP
				+ ":" + port + "/actuator/health");

		assertThat(result.get("stdout").asString()).isEmpty();
		assertThat(strings(result.get("egressDenied"))).containsExactly("airlock.test:" + port,
				GATEWAY_IP + ":" + port);
	}

	@Test
	void theCloudMetadataAddressIsRefusedAtTheDecisionPoint() {
		var id = sandbox(Map.of("policy", policy));

		var result = sh(id, "wget -O - http://metadata.test/latest/meta-data/");

		assertThat(strings(result.get("egressDenied"))).containsExactly("metadata.test:80");
		assertThat(guard.check(List.of(EgressRule.parse("*")), "169.254.169.254", 80))
			.isInstanceOf(Verdict.Denied.class);
	}

	@Test
	void programsThatIgnoreTheProxyFailClosed() throws IOException {
		var id = sandbox(Map.of("policy", policy));
		upload(id);

		var result = sh(id, "echo | nc -w 5 " + ALLOWED_IP + " 8080; /workspace/net-probe connect " + ALLOWED_IP
				+ " 8080; /workspace/net-probe connect 192.0.2.53 53");

		assertThat(result.get("stdout").asString()).as(result.toString()).isEqualTo("ENETUNREACH\nENETUNREACH\n");
		assertThat(result.get("stderr").asString()).contains("Network is unreachable");
		var networks = docker.inspect(id).getNetworkSettings().getNetworks();
		assertThat(networks.keySet()).containsExactly("none");
		assertThat(networks.get("none").getIpAddress()).isNullOrEmpty();
	}

	@Test
	void noSandboxReachesAnotherOfItsOwnTenantOrOfAnother() {
		var listener = List.of("sh", "-c", "while true; do echo secret | nc -l -p 9000; done");
		var mine = sandbox(Map.of("policy", policy));
		var sameTenant = sandbox(Map.of("policy", policy, "command", listener));
		var otherTenant = api
			.createSandbox(Map.of("image", IMAGE, "policy", policy, "command", listener),
					apiKey(uniqueName("t"), "AGENT"))
			.json()
			.get("id")
			.asString();
		for (var target : List.of(sameTenant, otherTenant)) {
			assertThat(docker.inspect(target).getNetworkSettings().getNetworks().keySet()).containsExactly("none");
		}

		var result = sh(mine, "no_proxy= wget -O - http://127.0.0.1:9000/; wget -O - http://sandbox:9000/;"
				+ " nc -w 2 127.0.0.1 9000");

		assertThat(result.get("stdout").asString()).doesNotContain("secret");
		assertThat(strings(result.get("egressDenied"))).containsExactly("127.0.0.1:9000", "sandbox:9000");
	}

	@Test
	void aTlsServerNameOutsideTheListIsRefusedWithoutInterception() throws IOException {
		var id = sandbox(Map.of("policy", policy));
		upload(id);

		var denied = sh(id, "/workspace/net-probe tls 127.0.0.1:3128 allowed.test:8080 evil.test");
		var allowed = sh(id, "/workspace/net-probe tls 127.0.0.1:3128 allowed.test:8080 allowed.test");

		assertThat(denied.get("stdout").asString()).as(denied.toString())
			.isEqualTo("HTTP/1.1 200 Connection established\nalert 2 49\n");
		assertThat(strings(denied.get("egressDenied"))).containsExactly("evil.test:8080");
		// the server got the handshake as sent and answered it (busybox httpd: 400)
		assertThat(allowed.get("stdout").asString()).as(allowed.toString())
			.startsWith("HTTP/1.1 200 Connection established\ndata ");
	}

	@Test
	void dnsFromASandboxIsNotATunnel() throws IOException {
		var id = sandbox(Map.of("policy", policy));
		var name = uniqueName("tunnel") + ".allowed.test";

		var result = sh(id, "nslookup " + name + " || echo no-answer");

		assertThat(result.get("stdout").asString()).contains("no-answer");
		assertThat(decisions(id)).noneMatch(d -> d.contains("tunnel"));
	}

	@Test
	void aSandboxWithoutEgressHasNoProxy() throws IOException {
		var id = sandbox(Map.of("policy", newPolicy(Map.of("maxUploadBytes", 8L << 20))));
		upload(id);

		var result = sh(id, "echo \"[$http_proxy]\"; /workspace/net-probe connect 127.0.0.1 3128");

		assertThat(result.get("stdout").asString()).isEqualTo("[]\nECONNREFUSED\n");
	}

	@Test
	void bridgeMeansEveryPublicDestinationAndNothingElse() {
		var bridge = newPolicy(Map.of("network", "BRIDGE"));
		assertThat(api.get("/v1/policies/" + bridge).json().get("network").asString()).isEqualTo("BRIDGE");
		var id = sandbox(Map.of("policy", bridge));

		var result = sh(id, "wget -O - http://allowed.test:8080/; wget -O - http://metadata.test/");

		assertThat(result.get("stdout").asString()).isEmpty();
		assertThat(strings(result.get("egressDenied"))).containsExactly("allowed.test:8080", "metadata.test:80");
		var rules = List.of(EgressRule.parse("*"));
		assertThat(guard.check(rules, "public.test", 443)).isInstanceOf(Verdict.Allowed.class);
		assertThat(guard.check(rules, "public.test", 8080)).isInstanceOf(Verdict.Denied.class);
	}

	@Test
	void aSecondRequestOnAPlainHttpConnectionNeverReachesTheServer() {
		var id = sandbox(Map.of("policy", policy));

		var result = sh(id,
				"printf 'POST http://echo.test:8080/ HTTP/1.1\\r\\nHost: echo.test:8080\\r\\n"
						+ "Content-Length: 5\\r\\n\\r\\nfirstGET http://denied.test:8080/ HTTP/1.1\\r\\n"
						+ "Host: denied.test:8080\\r\\n\\r\\n' | nc 127.0.0.1 3128");

		var echoed = result.get("stdout").asString();
		assertThat(echoed).as(result.toString()).startsWith("POST / HTTP/1.1\r\n").endsWith("\r\n\r\nfirst");
		assertThat(echoed).doesNotContain("denied.test");
	}

	@Test
	void egressGoesOnAfterTheSessionWasFullOfCalls() throws Exception {
		var id = sandbox(Map.of("policy", policy));
		try (var calls = Executors.newVirtualThreadPerTaskExecutor()) {
			var sleeps = new ArrayList<Future<Api.Response>>();
			// with the four accepts kept waiting in the agent, every call a session has
			for (int i = 0; i < 52; i++) {
				sleeps.add(calls.submit(() -> exec(id, Map.of("command", List.of("sleep", "10")))));
			}
			await().atMost(Duration.ofSeconds(30))
				.until(() -> docker.exec(id, "sh", "-c", "ps | grep -c '[s]leep 10'").stdout().strip().equals("52"));
			// four connections that take the four waiting accepts and hold them
			docker.exec(id, "sh", "-c", "for i in 1 2 3 4; do (sleep 30 | nc 127.0.0.1 3128 &); done");
			await().atMost(Duration.ofSeconds(10))
				.until(() -> docker.exec(id, "sh", "-c", "netstat -tn | grep -c ':3128 .*ESTABLISHED'")
					.stdout()
					.strip()
					.equals("8"));
			for (var sleep : sleeps) {
				assertThat(sleep.get().status()).isEqualTo(200);
			}
		}

		var after = sh(id, "timeout 10 wget -q -O - http://allowed.test:8080/");

		assertThat(after.get("stdout").asString()).as(after.toString()).isEqualTo("allowed-page\n");
	}

	@Test
	void aConnectionThatNeverSendsItsHeadIsClosedAfterTheIdleTimeout() {
		var id = sandbox(Map.of("policy", policy));

		var result = sh(id, "mkfifo /tmp/silence; sleep 60 >/tmp/silence 2>/dev/null &"
				+ " timeout 30 nc 127.0.0.1 3128 </tmp/silence; echo \"exit $?\"");

		// nc ended because the gateway closed the connection (5 s here), not by timeout's
		// TERM (143)
		assertThat(result.get("stdout").asString()).as(result.toString())
			.startsWith("exit ")
			.isNotEqualTo("exit 143\n");
	}

	@Test
	void aDestinationThatRefusesIsA502AndANameWithoutAddressA403ThatSaysSo() {
		var id = sandbox(Map.of("policy", policy));

		var result = sh(id, "printf 'GET http://allowed.test:8081/ HTTP/1.1\\r\\n\\r\\n' | nc 127.0.0.1 3128;"
				+ " printf 'GET http://nowhere.allowed.test:8080/ HTTP/1.1\\r\\n\\r\\n' | nc 127.0.0.1 3128");

		var answers = result.get("stdout").asString();
		assertThat(answers).as(result.toString())
			.startsWith("HTTP/1.1 502 Bad Gateway\r\n")
			.contains("could not connect to allowed.test:8081")
			.contains("HTTP/1.1 403 Forbidden\r\n")
			.containsPattern(
					"nowhere.allowed.test:8080 are not allowed \\((unknown host|name resolution timed out)\\)");
		assertThat(strings(result.get("egressDenied"))).containsExactly("nowhere.allowed.test:8080");
		assertThat(decisions(id)).contains("ALLOWED allowed.test:8081");
	}

	@Test
	void egressGoesOnWhenAnotherAirlockTakesTheSandboxOver() {
		var id = sandbox(Map.of("policy", policy));

		try (var restarted = SecondInstance.start(database, Map.of("airlock.egress.hosts[allowed.test]", ALLOWED_IP,
				"airlock.egress.hosts[denied.test]", OTHER_IP));
				var watch = restarted.getBean(EgressDecisions.class).watch(id)) {
			// its agent watch finds the running sandbox and takes its session over
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				docker.exec(id, "wget", "-q", "-O", "-", "http://denied.test:8080/");
				return watch.denied().contains("denied.test:8080");
			});

			var allowed = docker.exec(id, "wget", "-q", "-O", "-", "http://allowed.test:8080/");

			assertThat(allowed.stdout()).as(allowed.toString()).isEqualTo("allowed-page\n");
		}
	}

	@Test
	void theMainCommandReachesAnAllowedNameFromItsFirstMoment() {
		var id = sandbox(Map.of("policy", policy, "command", List.of("sh", "-c",
				"wget -q -O /tmp/page http://allowed.test:8080/ 2>/tmp/error; touch /tmp/done; sleep 3600")));

		var result = sh(id, "while [ ! -e /tmp/done ]; do sleep 0.1; done; cat /tmp/page /tmp/error");

		assertThat(result.get("stdout").asString()).as(result.toString()).isEqualTo("allowed-page\n");
	}

	@Test
	void execsAndFilesWorkWhileTheSandboxHoldsEveryTunnelOpen() {
		var holder = "for i in $(seq 40); do (sleep 3600 | nc 127.0.0.1 3128 &); done; sleep 3600";
		var id = sandbox(Map.of("policy", policy, "command", List.of("sh", "-c", holder)));
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(
					sh(id, "netstat -tn | grep -c ':3128 .*ESTABLISHED'").get("stdout").asString().strip())
				.isEqualTo("80"));

		var result = sh(id, "echo still-here > /workspace/f && cat /workspace/f");

		assertThat(result.get("stdout").asString()).isEqualTo("still-here\n");
		assertThat(api.get("/v1/sandboxes/" + id + "/files/content?path=/workspace/f").status()).isEqualTo(200);
	}

	@Test
	void decisionsAreAuditedOncePerDestinationAndMinuteWithACount() {
		var id = sandbox(Map.of("policy", policy));
		sh(id, "for i in 1 2 3 4 5; do wget -q -O - http://denied.test:8080/; done; wget -q -O - http://allowed.test:8080/");

		api.delete("/v1/sandboxes/" + id);

		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			var denied = api.get("/v1/audit-events?type=EGRESS_DENIED&sandboxId=" + id).json().get("items");
			assertThat(denied).hasSize(1);
			assertThat(denied.get(0).get("data").get("destination").asString()).isEqualTo("denied.test");
			assertThat(denied.get(0).get("data").get("port").asInt()).isEqualTo(8080);
			assertThat(denied.get(0).get("data").get("count").asInt()).isEqualTo(5);
			assertThat(api.get("/v1/audit-events?type=EGRESS_ALLOWED&sandboxId=" + id).json().get("items")).hasSize(1);
		});
		assertThat(api.get("/v1/audit-events/verify").json().get("valid").asBoolean()).isTrue();
	}

	private JsonNode sh(String id, String script) {
		var response = exec(id, Map.of("command", List.of("sh", "-c", script)));
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return response.json();
	}

	private void upload(String id) throws IOException {
		assertThat(PROBE).as("the probe (./mvnw package builds it)").exists();
		var upload = api.upload(id, "/workspace/net-probe", Files.readAllBytes(PROBE));
		assertThat(upload.status()).as(upload.body()).isEqualTo(201);
		assertThat(sh(id, "chmod +x /workspace/net-probe").get("exitCode").asInt()).isZero();
	}

	/** The sandbox's recorded decisions as {@code DECISION destination:port}. */
	private List<String> decisions(String id) {
		var decisions = new ArrayList<String>();
		api.get("/v1/sandboxes/" + id + "/egress?size=100")
			.json()
			.get("items")
			.forEach(d -> decisions.add(d.get("decision").asString() + " " + d.get("destination").asString() + ":"
					+ d.get("port").asInt()));
		return decisions;
	}

	private static List<String> strings(JsonNode array) {
		var strings = new ArrayList<String>();
		array.forEach(s -> strings.add(s.asString()));
		return strings;
	}

}
