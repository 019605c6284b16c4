package dev.airlock.enforcement;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.airlock.Api;
import dev.airlock.IntegrationTestSupport;
import dev.airlock.sandbox.SandboxEvents.SandboxEnded;
import dev.airlock.sandbox.SandboxStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Leases, idle timeouts, the watchdog and the engine's events, with real misbehaviour in
 * real containers.
 */
class EnforcementTests extends IntegrationTestSupport {

	void runInBackground(String id, List<String> command) {
		Thread.ofVirtual().start(() -> exec(id, Map.of("command", command, "timeoutSeconds", 60)));
	}

	@Test
	void aSandboxPastItsLeaseExpiresAndItsContainerGoes() throws Exception {
		var id = sandbox(Map.of("ttlSeconds", 3));

		// within seconds of the lease: a sweep, not "the next minute's tick"
		var ended = awaitEnd(id, Duration.ofSeconds(15));

		assertThat(ended.get("status").asString()).isEqualTo("EXPIRED");
		assertThat(ended.get("endReason").asString()).isEqualTo("TTL_EXPIRED");
		assertThat(docker.containersOf(id)).isEmpty();
		assertThat(docker.volumesOf(id)).isEmpty();
		assertThat(events.stream(SandboxEnded.class).filter(e -> e.sandboxId().equals(id))).singleElement()
			.satisfies(e -> assertThat(e.status()).isEqualTo(SandboxStatus.EXPIRED));
	}

	@Test
	void theTimeoutEndpointMovesTheLeaseCappedByThePolicy() throws Exception {
		var id = sandbox(Map.of("ttlSeconds", 600));

		// the lease runs from the moment of the call (the service's clock ticks in
		// microseconds)
		var before = Instant.now().truncatedTo(ChronoUnit.MICROS);
		var capped = api.post("/v1/sandboxes/" + id + "/timeout", Map.of("ttlSeconds", 999_999));
		var after = Instant.now();
		assertThat(capped.status()).as(capped.body()).isEqualTo(200);
		var expires = Instant.parse(capped.json().get("expiresAt").asString());
		assertThat(expires).isBetween(before.plusSeconds(3600), after.plusSeconds(3600));

		var shortened = api.post("/v1/sandboxes/" + id + "/timeout", Map.of("ttlSeconds", 2));
		assertThat(shortened.status()).isEqualTo(200);
		assertThat(awaitEnd(id, Duration.ofSeconds(15)).get("status").asString()).isEqualTo("EXPIRED");

		assertThat(api.post("/v1/sandboxes/" + id + "/timeout", Map.of("ttlSeconds", 60)).code())
			.isEqualTo("SANDBOX_NOT_RUNNING");
		assertThat(api.post("/v1/sandboxes/" + id + "/timeout", Map.of("ttlSeconds", 0)).code())
			.isEqualTo("VALIDATION_FAILED");
		assertThat(api.post("/v1/sandboxes/sbx_none/timeout", Map.of("ttlSeconds", 5)).code())
			.isEqualTo("SANDBOX_NOT_FOUND");
	}

	@Test
	void anIdleSandboxExpiresWhileOneInUseLivesOn() throws Exception {
		var policy = newPolicy(Map.of("idleTimeoutSeconds", 2));
		var idle = sandbox(Map.of("policy", policy));
		var busy = sandbox(Map.of("policy", policy));
		var longRunning = sandbox(Map.of("policy", policy));
		runInBackground(longRunning, List.of("sleep", "5"));

		// an agent at work: a call every half second, for twice the idle timeout (this
		// paces the scenario; it waits for nothing)
		for (int i = 0; i < 8; i++) {
			exec(busy, Map.of("command", List.of("true")));
			Thread.sleep(500);
		}

		var ended = awaitEnd(idle, Duration.ofSeconds(10));
		assertThat(ended.get("status").asString()).isEqualTo("EXPIRED");
		assertThat(ended.get("endReason").asString()).isEqualTo("IDLE_TIMEOUT");
		assertThat(status(busy)).isEqualTo("RUNNING");
		assertThat(status(longRunning)).isEqualTo("RUNNING");
	}

	@Test
	void aMemoryBombIsKilledForTheMemoryLimit() throws Exception {
		var id = sandbox(Map.of("policy", newPolicy(Map.of("memoryMb", 32))));

		runInBackground(id, List.of("sh", "-c", "x=aaaaaaaa; while :; do x=$x$x; done"));

		var ended = awaitEnd(id, Duration.ofSeconds(20));
		assertThat(ended.get("status").asString()).isEqualTo("KILLED");
		assertThat(ended.get("endReason").asString()).isEqualTo("MEMORY_LIMIT");
		assertThat(docker.containersOf(id)).isEmpty();
	}

	@Test
	void aForkBombIsKilledForThePidsLimitAndTheApiStaysResponsive() throws Exception {
		var id = sandbox(Map.of("policy", newPolicy(Map.of("pidsLimit", 32))));

		// the exec stays (its processes die with it when it returns); the agent, one
		// thread
		// that never forks on its own, is not what the bomb takes down
		runInBackground(id, List.of("sh", "-c", "b() { b | b & }; b; sleep 60"));
		// the API answers while the bomb goes off (a generous deadline: liveness, not
		// speed)
		var answer = api.send(HttpRequest.newBuilder(api.uri("/v1/policies/default"))
			.timeout(Duration.ofSeconds(15))
			.header("Authorization", "Bearer " + Api.ADMIN_KEY)
			.build());
		assertThat(answer.status()).isEqualTo(200);

		var ended = awaitEnd(id, Duration.ofSeconds(20));
		assertThat(ended.get("status").asString()).isEqualTo("KILLED");
		assertThat(ended.get("endReason").asString()).isEqualTo("PIDS_LIMIT");
		assertThat(docker.containersOf(id)).isEmpty();
	}

	@Test
	void aCpuSpinPastItsBudgetIsKilled() throws Exception {
		var id = sandbox(Map.of("policy", newPolicy(Map.of("cpuBudgetSeconds", 2))));

		runInBackground(id, List.of("sh", "-c", "while :; do :; done"));

		var ended = awaitEnd(id, Duration.ofSeconds(20));
		assertThat(ended.get("status").asString()).isEqualTo("KILLED");
		assertThat(ended.get("endReason").asString()).isEqualTo("CPU_BUDGET");
	}

	@Test
	void aDeniedCommandIsRefusedBeforeItRunsAndKillsWhenThePolicySays() throws Exception {
		var pattern = "(^|\\s)nmap(\\s|$)";
		var lenient = sandbox(Map.of("policy", newPolicy(Map.of("deniedCommandPatterns", List.of(pattern)))));
		var strict = sandbox(Map.of("policy",
				newPolicy(Map.of("deniedCommandPatterns", List.of(pattern), "killOnDeniedCommand", true))));

		var refused = exec(lenient, Map.of("command", List.of("sh", "-c", "nmap -p 22 host")));
		assertThat(refused.status()).isEqualTo(403);
		assertThat(refused.code()).isEqualTo("POLICY_VIOLATION");
		assertThat(exec(lenient, Map.of("command", List.of("echo", "nmapper"))).json().get("exitCode").asInt())
			.isZero();
		assertThat(status(lenient)).isEqualTo("RUNNING");

		var killing = exec(strict, Map.of("command", List.of("nmap", "host")));
		assertThat(killing.status()).isEqualTo(403);
		var ended = sandboxJson(strict);
		assertThat(ended.get("status").asString()).isEqualTo("KILLED");
		assertThat(ended.get("endReason").asString()).isEqualTo("DENIED_COMMAND");
		assertThat(docker.containersOf(strict)).isEmpty();
	}

	@Test
	void aMainProcessThatExitsEndsTheSandboxWithItsExitCode() throws Exception {
		var id = sandbox(Map.of("command", List.of("sh", "-c", "sleep 1; exit 3")));

		var ended = awaitEnd(id, Duration.ofSeconds(15));

		assertThat(ended.get("status").asString()).isEqualTo("TERMINATED");
		assertThat(ended.get("endReason").asString()).isEqualTo("MAIN_PROCESS_EXITED");
		assertThat(ended.get("endDetail").asString()).isEqualTo("exit code 3");
		assertThat(docker.containersOf(id)).isEmpty();
	}

	@Test
	void aContainerRemovedBehindAirlocksBackIsLost() throws Exception {
		var id = sandbox();

		docker.removeBehindAirlocksBack(id);

		var ended = awaitEnd(id, Duration.ofSeconds(15));
		assertThat(ended.get("status").asString()).isEqualTo("LOST");
		assertThat(docker.volumesOf(id)).isEmpty();
	}

	@Test
	void statsAndLogsOfARunningSandbox() throws Exception {
		var id = sandbox(
				Map.of("command", List.of("sh", "-c", "echo hello from main; echo ünï; echo last line; sleep 600")));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> api.get("/v1/sandboxes/" + id + "/logs?tail=10").body().contains("last line"));

		var stats = api.get("/v1/sandboxes/" + id + "/stats");
		assertThat(stats.status()).as(stats.body()).isEqualTo(200);
		assertThat(stats.json().get("memoryLimitBytes").asLong()).isEqualTo(512L * 1024 * 1024);
		assertThat(stats.json().get("memoryBytes").asLong()).isPositive();
		assertThat(stats.json().get("pids").asLong()).isPositive();
		for (var field : List.of("cpuPercent", "networkRxBytes", "networkTxBytes")) {
			assertThat(stats.json().has(field)).as(field).isTrue();
		}
		var logs = api.get("/v1/sandboxes/" + id + "/logs?tail=10");
		assertThat(logs.status()).isEqualTo(200);
		assertThat(logs.contentType()).startsWith("text/plain");
		assertThat(logs.body()).contains("hello from main").contains("ünï");
		assertThat(api.get("/v1/sandboxes/" + id + "/logs?tail=1").body()).isEqualTo("last line\n");
		api.delete("/v1/sandboxes/" + id);
		assertThat(api.get("/v1/sandboxes/" + id + "/stats").code()).isEqualTo("SANDBOX_NOT_RUNNING");
	}

	@Test
	void manyExpiriesAtOnceEachHappenOnce() throws Exception {
		var ids = new ArrayList<String>();
		try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
			var futures = new ArrayList<Future<String>>();
			for (int i = 0; i < 8; i++) {
				futures.add(pool.submit(() -> sandbox(Map.of("ttlSeconds", 2))));
			}
			for (var future : futures) {
				ids.add(future.get());
			}
		}
		for (var id : ids) {
			assertThat(awaitEnd(id, Duration.ofSeconds(15)).get("status").asString()).isEqualTo("EXPIRED");
		}
		for (var id : ids) {
			assertThat(events.stream(SandboxEnded.class).filter(e -> e.sandboxId().equals(id))).hasSize(1);
		}
	}

}
