package dev.airlock.enforcement;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.airlock.Api;
import dev.airlock.IntegrationTestSupport;
import dev.airlock.RecordedEvents;
import dev.airlock.SecondInstance;
import dev.airlock.sandbox.SandboxEvents.SandboxEnded;
import dev.airlock.sandbox.SandboxStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The halt switch, and enforcement with two replicas on one database. */
class HaltAndReplicaTests extends IntegrationTestSupport {

	/** A halt left on would refuse the next tests' sandboxes. */
	@AfterEach
	void liftTheHalts() {
		api.delete("/v1/admin/halt?tenant=admin");
		api.delete("/v1/admin/halt");
	}

	@Test
	void aHaltKillsEveryRunningSandboxOfTheTenantAndRefusesCreatesUntilLifted() {
		var first = sandbox();
		var second = sandbox();

		var halt = api.post("/v1/admin/halt", Map.of("tenant", "admin", "reason", "agent ran wild"));

		assertThat(halt.status()).as(halt.body()).isEqualTo(200);
		assertThat(halt.json().get("killed").asInt()).isGreaterThanOrEqualTo(2);
		for (var id : List.of(first, second)) {
			var sandbox = sandboxJson(id);
			assertThat(sandbox.get("status").asString()).isEqualTo("KILLED");
			assertThat(sandbox.get("endReason").asString()).isEqualTo("HALTED");
		}
		var refused = api.createSandbox(Map.of("image", IMAGE));
		assertThat(refused.status()).isEqualTo(423);
		assertThat(refused.code()).isEqualTo("HALTED");
		assertThat(refused.json().get("detail").asString()).contains("agent ran wild");
		var active = api.get("/v1/admin/halt").json();
		assertThat(active).singleElement().satisfies(h -> {
			assertThat(h.get("tenant").asString()).isEqualTo("admin");
			assertThat(h.get("reason").asString()).isEqualTo("agent ran wild");
			assertThat(h.get("createdBy").asString()).isEqualTo("key:ak_bootstrap");
		});

		assertThat(api.delete("/v1/admin/halt?tenant=admin").status()).isEqualTo(204);
		assertThat(api.get("/v1/admin/halt").json()).isEmpty();
		assertThat(api.createSandbox(Map.of("image", IMAGE)).status()).isEqualTo(201);
	}

	@Test
	void aGlobalHaltStopsEveryoneAndSurvivesARestart() {
		var id = sandbox();

		assertThat(api.post("/v1/admin/halt", Map.of("reason", "incident 42")).status()).isEqualTo(200);

		assertThat(sandboxJson(id).get("endReason").asString()).isEqualTo("HALTED");
		try (var restarted = SecondInstance.start(database, Map.of())) {
			var afterRestart = Api.onPort(SecondInstance.port(restarted)).createSandbox(Map.of("image", IMAGE));
			assertThat(afterRestart.status()).isEqualTo(423);
			assertThat(afterRestart.code()).isEqualTo("HALTED");
		}
		assertThat(api.delete("/v1/admin/halt").status()).isEqualTo(204);
		assertThat(api.createSandbox(Map.of("image", IMAGE)).status()).isEqualTo(201);
	}

	@Test
	void badHaltRequestsAreValidationProblems() {
		assertThat(api.post("/v1/admin/halt", Map.of("tenant", "admin")).code()).isEqualTo("VALIDATION_FAILED");
		assertThat(api.post("/v1/admin/halt", Map.of("tenant", "no spaces", "reason", "x")).code())
			.isEqualTo("VALIDATION_FAILED");
	}

	@Test
	void withTwoReplicasEachExpiryHappensExactlyOnce() {
		try (var replica = SecondInstance.start(database, Map.of())) {
			var ids = new ArrayList<String>();
			for (int i = 0; i < 6; i++) {
				ids.add(sandbox(Map.of("ttlSeconds", 2)));
			}
			await().atMost(Duration.ofSeconds(20))
				.until(() -> ids.stream().allMatch(id -> status(id).equals("EXPIRED")));
			var replicaEvents = replica.getBean(RecordedEvents.class);
			// a late duplicate would show up within a few sweeps: none does
			await().during(Duration.ofMillis(1500))
				.atMost(Duration.ofSeconds(10))
				.until(() -> endings(ids, events, replicaEvents).values().stream().allMatch(count -> count == 1));

			var endings = endings(ids, events, replicaEvents);
			assertThat(endings).hasSize(6).allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1));
			for (var id : ids) {
				assertThat(status(id)).isEqualTo("EXPIRED");
			}
		}
	}

	/** How often each of these sandboxes was ended, as the replicas saw it. */
	static Map<String, Integer> endings(List<String> ids, RecordedEvents... replicas) {
		var endings = new HashMap<String, Integer>();
		for (var recorded : replicas) {
			recorded.stream(SandboxEnded.class)
				.filter(e -> ids.contains(e.sandboxId()))
				.forEach(e -> endings.merge(e.sandboxId(), 1, Integer::sum));
		}
		return endings;
	}

	@Test
	void aClockJumpOnAnAppHostExpiresNothing() {
		var id = sandbox(Map.of("ttlSeconds", 300));

		try (var jumped = SecondInstance.start(database, Map.of(), TomorrowClock.class)) {
			assertThat(jumped.getBean(Clock.class).instant()).isAfter(Instant.now().plus(Duration.ofHours(23)));
			// its expiry sweeps run meanwhile, and the sandbox stays as it is
			await().during(Duration.ofSeconds(2))
				.atMost(Duration.ofSeconds(10))
				.until(() -> status(id).equals("RUNNING"));
		}

		assertThat(status(id)).isEqualTo("RUNNING");
		assertThat(events.stream(SandboxEnded.class).filter(e -> e.sandboxId().equals(id)))
			.noneMatch(e -> e.status() == SandboxStatus.EXPIRED);
	}

}
