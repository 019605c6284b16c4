package dev.airlock.pool;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.airlock.Api;
import dev.airlock.IntegrationTestSupport;
import dev.airlock.SecondInstance;
import dev.airlock.core.Deployment;
import dev.airlock.core.Ids;
import dev.airlock.runtime.ContainerLabels;
import dev.airlock.runtime.EngineIdentity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pools across halts, restarts and crashes: a halt stops claims and refills, a restarted
 * service finds its members and claims each once, what a crash left half-done (a member
 * stuck starting, a container whose row is gone) is cleaned up, and the cap on members
 * holds whatever the pools ask for.
 */
class PoolLifecycleTests extends IntegrationTestSupport {

	@Autowired
	EngineIdentity engine;

	@Autowired
	Deployment deployment;

	PoolFixture pools;

	@BeforeEach
	void fixture() {
		pools = new PoolFixture(api, jdbc, engine.engineId());
	}

	@AfterEach
	void liftHaltsAndRemovePools() {
		api.delete("/v1/admin/halt");
		pools.cleanUp();
	}

	@Test
	void aGlobalHaltRefusesCreatesDropsTheMembersAndStopsRefillsUntilLifted() {
		var policy = newPolicy(Map.of());
		var pool = pools.create(policy, 2);
		pools.awaitReady(pool, 2);
		var members = pools.members(pool);

		assertThat(api.post("/v1/admin/halt", Map.of("reason", "pool test")).status()).isEqualTo(200);
		var refused = api.createSandbox(Map.of("image", IMAGE, "policy", policy));
		assertThat(refused.status()).isEqualTo(423);
		assertThat(refused.code()).isEqualTo("HALTED");

		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> pools.members(pool).isEmpty());
		for (var member : members) {
			await().atMost(Duration.ofSeconds(10)).until(() -> docker.containersOf(member).isEmpty());
		}
		// passes go on while halted, and start nothing
		await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> pools.members(pool).isEmpty());

		assertThat(api.delete("/v1/admin/halt").status()).isEqualTo(204);
		pools.awaitReady(pool, 2);
		var id = api.sandbox(Map.of("image", IMAGE, "policy", policy));
		assertThat(sandboxJson(id).get("source").asString()).isEqualTo("POOL");
		assertThat(members).doesNotContain(id);
	}

	@Test
	void aHaltedTenantTakesNoMemberAndAPoolOnlyHaltedTenantsMayUseIsNotRefilled() {
		var tenant = uniqueName("halted");
		var policy = newPolicy(Map.of("tenants", List.of(tenant)));
		var pool = pools.create(policy, 1);
		pools.awaitReady(pool, 1);
		var member = pools.members(pool).getFirst();
		var agent = apiKey(tenant, "AGENT");

		assertThat(api.post("/v1/admin/halt", Map.of("tenant", tenant, "reason", "pool test")).status()).isEqualTo(200);
		try {
			var refused = api.createSandbox(Map.of("image", IMAGE, "policy", policy), agent);
			assertThat(refused.status()).isEqualTo(423);
			assertThat(pools.members(pool)).containsExactly(member);
			// taken away behind Airlock's back: not replaced while every tenant of the
			// policy is halted
			pools.removeContainer(docker, member);
			await().atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> pools.members(pool).isEmpty());
			await().during(Duration.ofSeconds(2))
				.atMost(Duration.ofSeconds(5))
				.until(() -> pools.members(pool).isEmpty());
		}
		finally {
			api.delete("/v1/admin/halt?tenant=" + tenant);
		}
		pools.awaitReady(pool, 1);
	}

	@Test
	void aRestartedServiceKeepsTheFullPoolAndClaimsEachMemberOnce() {
		var policy = newPolicy(Map.of());
		var pool = pools.create(policy, 2);
		pools.awaitReady(pool, 2);
		var members = pools.members(pool);
		pools.holdRefill();

		try (var restarted = SecondInstance.start(database, Map.of())) {
			var pass = restarted.getBean(PoolRefill.class).run();
			assertThat(pass.dropped()).isZero();
			assertThat(pass.leftoversRemoved()).isZero();
			assertThat(pass.started()).isZero();
			var second = Api.onPort(SecondInstance.port(restarted));
			var first = second.sandbox(Map.of("image", IMAGE, "policy", policy));
			var next = api.sandbox(Map.of("image", IMAGE, "policy", policy));
			var third = second.createSandbox(Map.of("image", IMAGE, "policy", policy));

			assertThat(List.of(first, next)).containsExactlyInAnyOrderElementsOf(members);
			assertThat(third.json().get("source").asString()).isEqualTo("COLD");
			var exec = second.post("/v1/sandboxes/" + first + "/exec", Map.of("command", List.of("echo", "warm")));
			assertThat(exec.json().get("stdout").asString()).isEqualTo("warm\n");
			second.cleanUp();
		}
	}

	@Test
	void whatACrashLeftHalfDoneIsCleanedUpAndReplaced() {
		var policy = newPolicy(Map.of());
		var pool = pools.create(policy, 1);
		pools.awaitReady(pool, 1);
		pools.holdRefill();
		var version = jdbc.queryForObject("select max(version) from policies where name = ?", Integer.class, policy);
		// a member whose replica died while starting it, long ago
		var stuck = Ids.newId("sbx");
		jdbc.update("""
				insert into pool_members (id, pool, policy_name, policy_version, image, state, engine_id, deployment,
				                          created_at)
				values (?, ?, ?, ?, ?, 'STARTING', ?, ?, ?)""", stuck, pool, policy, version, IMAGE, engine.engineId(),
				deployment.id(), Timestamp.from(Instant.now().minus(Duration.ofMinutes(5))));
		var stuckContainer = docker.startSleeper(labels(stuck, pool));
		// a container whose row was deleted, but not the container
		var leftover = docker.startSleeper(labels(Ids.newId("sbx"), pool));

		try (var restarted = SecondInstance.start(database, Map.of())) {
			var pass = restarted.getBean(PoolRefill.class).run();

			assertThat(pass.dropped()).isEqualTo(1);
			// (and whatever the pools of the tests before left, still on its way out)
			assertThat(pass.leftoversRemoved()).isGreaterThanOrEqualTo(1);
		}
		assertThat(docker.containerExists(stuckContainer)).isFalse();
		assertThat(docker.containerExists(leftover)).isFalse();
		assertThat(pools.members(pool)).doesNotContain(stuck).hasSize(1);
	}

	@Test
	void aServiceThatDiedBetweenTheClaimAndTheAnswerLeavesAFailedCreateNeverAMemberBack() {
		var policy = newPolicy(Map.of());
		var pool = pools.create(policy, 1);
		pools.awaitReady(pool, 1);
		var member = pools.members(pool).getFirst();
		pools.holdRefill();
		var version = jdbc.queryForObject("select max(version) from policies where name = ?", Integer.class, policy);
		// what the claim's transaction commits; then the service is gone before it
		// answers
		jdbc.update("delete from pool_members where id = ?", member);
		jdbc.update("""
				insert into sandboxes (id, tenant, status, image, policy_name, policy_version, cpus, memory_mb,
				                       ttl_seconds, idle_timeout_seconds, created_by, created_at, expires_at,
				                       engine_id, source)
				values (?, 'admin', 'CREATING', ?, ?, ?, 1, 256, 600, 600, 'key:test', now() - interval '1 minute',
				        now() + interval '9 minutes', ?, 'POOL')""", member, IMAGE, policy, version, engine.engineId());

		try (var restarted = SecondInstance.start(database, Map.of("airlock.enforcement.stuck-create-after", "1s",
				"airlock.enforcement.reconcile-interval", "1s"))) {
			var ended = awaitEnd(member, Duration.ofSeconds(60));
			assertThat(ended.get("status").asString()).isEqualTo("FAILED");
			assertThat(ended.get("endReason").asString()).isEqualTo("CREATE_INTERRUPTED");
			assertThat(ended.get("source").asString()).isEqualTo("POOL");
			// its container goes after its row ended (or with the next pass, if the
			// removal was cut short)
			await().atMost(Duration.ofSeconds(30)).until(() -> docker.containersOf(member).isEmpty());
		}
		pools.releaseRefill();
		pools.awaitReady(pool, 1);
		assertThat(pools.members(pool)).doesNotContain(member);
	}

	@Test
	void theCapOnMembersHoldsWhateverThePoolsAskFor() {
		var policy = newPolicy(Map.of());
		var first = pools.create(policy, 0);
		var second = pools.create(policy, 0);
		pools.holdRefill();
		api.put("/v1/pools/" + first, Map.of("policy", policy, "image", IMAGE, "size", 2));
		api.put("/v1/pools/" + second, Map.of("policy", policy, "image", IMAGE, "size", 2));
		var others = jdbc.queryForObject("select count(*) from pool_members where engine_id = ? and pool not in (?, ?)",
				Integer.class, engine.engineId(), first, second);

		try (var capped = SecondInstance.start(database, Map.of("airlock.pools.max-members", others + 3))) {
			var refill = capped.getBean(PoolRefill.class);
			await().atMost(Duration.ofSeconds(60)).until(() -> {
				refill.run();
				return pools.members(first).size() + pools.members(second).size() == 3;
			});
			for (var i = 0; i < 5; i++) {
				refill.run();
			}
		}
		assertThat(pools.members(first).size() + pools.members(second).size()).isEqualTo(3);
		assertThat(pools.members(first)).isNotEmpty();
		assertThat(pools.members(second)).isNotEmpty();
	}

	private Map<String, String> labels(String id, String pool) {
		return Map.of(ContainerLabels.MANAGED, "true", ContainerLabels.SANDBOX_ID, id, ContainerLabels.DEPLOYMENT,
				deployment.id(), ContainerLabels.POOL, pool);
	}

}
