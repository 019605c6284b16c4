package dev.airlock.pool;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.airlock.Api;
import dev.airlock.IntegrationTestSupport;
import dev.airlock.OwnerDatabase;
import dev.airlock.SecondInstance;
import dev.airlock.runtime.EngineIdentity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Warm pools at work, on a real engine and database: which creates take a member, what
 * the sandbox then is (its env, working folder, limits, TTL, tenant and labels its own),
 * the race of parallel creates for few members, the refill putting back what was taken,
 * claims meeting faults (a member gone before the refill noticed, a pool deleted
 * mid-claim), and what a refill pass costs the database. Each test has a policy of its
 * own, so no other test's create matches its pools.
 */
class PoolTests extends IntegrationTestSupport {

	@Autowired
	EngineIdentity engine;

	PoolFixture pools;

	@BeforeEach
	void fixture() {
		pools = new PoolFixture(api, jdbc, engine.engineId());
	}

	@AfterEach
	void removePools() {
		pools.cleanUp();
	}

	@Test
	void aMatchingCreateTakesAReadyMemberAsItsOwnSandboxAndTheRefillPutsOneBack() {
		var policy = newPolicy(Map.of("defaultTtlSeconds", 300, "maxTtlSeconds", 600));
		var pool = pools.create(policy, 2);
		pools.awaitReady(pool, 2);
		var members = pools.members(pool);
		var tenant = uniqueName("team");
		var agent = apiKey(tenant, "AGENT");
		var before = Instant.now();

		var created = api.createSandbox(Map.of("image", IMAGE, "policy", policy, "env",
				Map.of("GREETING", "hello from the create"), "workdir", "/tmp", "labels", Map.of("task", "t-1")),
				agent);

		assertThat(created.status()).as(created.body()).isEqualTo(201);
		var sandbox = created.json();
		var id = sandbox.get("id").asString();
		assertThat(sandbox.get("source").asString()).isEqualTo("POOL");
		assertThat(members).contains(id);
		assertThat(pools.members(pool)).doesNotContain(id);
		assertThat(sandbox.get("tenant").asString()).isEqualTo(tenant);
		assertThat(sandbox.get("labels").get("task").asString()).isEqualTo("t-1");
		// its TTL runs from the claim, not from the member's start
		var startedAt = Instant.parse(sandbox.get("startedAt").asString());
		assertThat(startedAt).isAfterOrEqualTo(before.minusSeconds(1));
		assertThat(Instant.parse(sandbox.get("expiresAt").asString())).isEqualTo(startedAt.plusSeconds(300));

		var exec = api.send("POST", "/v1/sandboxes/" + id + "/exec",
				Map.of("command", List.of("sh", "-c", "echo \"$GREETING\"; pwd")), agent);
		assertThat(exec.status()).as(exec.body()).isEqualTo(200);
		assertThat(exec.json().get("stdout").asString()).isEqualTo("hello from the create\n/tmp\n");
		// an exec's own env and folder still win
		var own = api.send("POST", "/v1/sandboxes/" + id + "/exec",
				Map.of("command", List.of("sh", "-c", "echo \"$GREETING\"; pwd"), "env", Map.of("GREETING", "mine"),
						"workdir", "/workspace"),
				agent);
		assertThat(own.json().get("stdout").asString()).isEqualTo("mine\n/workspace\n");

		pools.awaitReady(pool, 2);
		var view = pools.get(pool).json();
		assertThat(view.get("claimed").asLong()).isEqualTo(1);
		assertThat(view.get("lastError").isNull()).isTrue();
		assertThat(jdbc.queryForObject("select source from sandboxes where id = ?", String.class, id))
			.isEqualTo("POOL");
		var audited = jdbc.queryForList(
				"select cast(data as jsonb) ->> 'source' from audit_events where type = 'SANDBOX_CREATED' and sandbox_id = ?",
				String.class, id);
		assertThat(audited).containsExactly("POOL");
		// the value is a secret: in the agent's memory, never in the container's config,
		// the sandbox's row or the audit log
		assertThat(docker.inspect(id).getConfig().getEnv()).noneMatch(entry -> entry.contains("hello from the create"));
		assertThat(jdbc.queryForObject("select count(*) from audit_events where data like ?", Long.class,
				"%hello from the create%"))
			.isZero();
		assertThat(jdbc.queryForObject("select count(*) from sandboxes s where s.id = ? and cast(s as text) like ?",
				Long.class, id, "%hello from the create%"))
			.isZero();
	}

	@Test
	void aCreateWithACommandOrAnotherImageStartsItsOwnContainerAndOneAboveThePolicyTakesNothing() {
		var policy = newPolicy(Map.of("cpus", 0.5, "memoryMb", 64));
		var pool = pools.create(policy, 1);
		pools.awaitReady(pool, 1);
		var member = pools.members(pool).getFirst();

		var withCommand = api.sandbox(Map.of("image", IMAGE, "policy", policy, "command", List.of("sleep", "300")));
		docker.client().tagImageCmd(IMAGE, "busybox", "pool-tests-other").exec();
		var otherImage = api.sandbox(Map.of("image", "busybox:pool-tests-other", "policy", policy));
		for (var id : List.of(withCommand, otherImage)) {
			assertThat(sandboxJson(id).get("source").asString()).as(id).isEqualTo("COLD");
		}
		// a policy's cpus and memoryMb are its defaults and its limits: more is refused
		for (var more : List.of(Map.of("cpus", 1), Map.of("memoryMb", 128))) {
			var refused = api.createSandbox(Map.of("image", IMAGE, "policy", policy, "resources", more));
			assertThat(refused.status()).as(refused.body()).isEqualTo(403);
			assertThat(refused.code()).isEqualTo("POLICY_VIOLATION");
		}

		assertThat(pools.members(pool)).containsExactly(member);
		assertThat(pools.get(pool).json().get("claimed").asLong()).isZero();
	}

	@Test
	void aCreateAskingForLessThanThePolicysDefaultsTakesAMemberCutToWhatItAskedFor() {
		var policy = newPolicy(Map.of("cpus", 1, "memoryMb", 128));
		var pool = pools.create(policy, 1);
		pools.awaitReady(pool, 1);

		var id = api
			.sandbox(Map.of("image", IMAGE, "policy", policy, "resources", Map.of("cpus", 0.5, "memoryMb", 64)));

		var sandbox = sandboxJson(id);
		assertThat(sandbox.get("source").asString()).isEqualTo("POOL");
		assertThat(sandbox.get("resources").get("cpus").asDouble()).isEqualTo(0.5);
		var limits = docker.inspect(id).getHostConfig();
		assertThat(limits.getNanoCPUs()).isEqualTo(500_000_000L);
		assertThat(limits.getMemory()).isEqualTo(64L * 1024 * 1024);
		assertThat(limits.getMemorySwap()).isEqualTo(64L * 1024 * 1024);
	}

	@Test
	void parallelCreatesForFewerMembersTakeEachMemberExactlyOnce() throws Exception {
		var policy = newPolicy(Map.of("maxSandboxesPerTenant", 50));
		var pool = pools.create(policy, 3);
		pools.awaitReady(pool, 3);
		var members = pools.members(pool);
		pools.holdRefill();
		var creates = 8;
		var start = new CyclicBarrier(creates);
		var answers = new ArrayList<Future<Api.Response>>();
		try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
			for (var i = 0; i < creates; i++) {
				answers.add(threads.submit(() -> {
					start.await();
					return api.createSandbox(Map.of("image", IMAGE, "policy", policy));
				}));
			}
		}

		var hits = new ArrayList<String>();
		var ids = new HashSet<String>();
		for (var answer : answers) {
			var response = answer.get();
			assertThat(response.status()).as(response.body()).isEqualTo(201);
			var id = response.json().get("id").asString();

			assertThat(ids.add(id)).as("one id twice: " + id).isTrue();
			if (response.json().get("source").asString().equals("POOL")) {
				hits.add(id);
			}
		}
		assertThat(hits).containsExactlyInAnyOrderElementsOf(members);
		assertThat(pools.members(pool)).isEmpty();
		assertThat(pools.get(pool).json().get("claimed").asLong()).isEqualTo(3);
		for (var id : hits) {
			assertThat(docker.containersOf(id)).as(id).hasSize(1);
		}
	}

	@Test
	void aCreateWhoseTransactionFailsAfterTheClaimLeavesTheMemberInThePool() {
		var policy = newPolicy(Map.of());
		var pool = pools.create(policy, 1);
		pools.awaitReady(pool, 1);
		var member = pools.members(pool).getFirst();
		pools.holdRefill();
		// the labels are written last in the create's transaction: failing there undoes
		// the claim made before it, as a crash before the commit would
		var owner = OwnerDatabase.jdbc(database);
		owner.execute("""
				create or replace function pool_tests_refuse() returns trigger language plpgsql as $$
				begin raise exception 'the database failed mid-create'; end $$""");
		owner.execute("""
				create trigger pool_tests_refuse before insert on sandbox_labels for each row
				when (new.label_key = 'pool-tests-fail-here') execute function pool_tests_refuse()""");
		try {
			var failed = api.createSandbox(
					Map.of("image", IMAGE, "policy", policy, "labels", Map.of("pool-tests-fail-here", "yes")));
			assertThat(failed.status()).as(failed.body()).isGreaterThanOrEqualTo(500);
			assertThat(failed.body()).doesNotContain("Exception");
		}
		finally {
			owner.execute("drop trigger pool_tests_refuse on sandbox_labels");
			owner.execute("drop function pool_tests_refuse()");
		}

		assertThat(pools.members(pool)).containsExactly(member);
		assertThat(jdbc.queryForObject("select count(*) from sandboxes where id = ?", Long.class, member)).isZero();
		assertThat(docker.containersOf(member)).hasSize(1);
		var retried = api.sandbox(Map.of("image", IMAGE, "policy", policy));
		assertThat(retried).isEqualTo(member);
		assertThat(sandboxJson(retried).get("source").asString()).isEqualTo("POOL");
	}

	@Test
	void aMemberThatDiedJustBeforeItsClaimCostsTheCreateAColdStartNeverAFailure() {
		var policy = newPolicy(Map.of());
		var pool = pools.create(policy, 1);
		pools.awaitReady(pool, 1);
		var member = pools.members(pool).getFirst();
		pools.holdRefill();
		// gone between two refill passes: its row still says READY
		pools.removeContainer(docker, member);

		var created = api.createSandbox(Map.of("image", IMAGE, "policy", policy));

		assertThat(created.status()).as(created.body()).isEqualTo(201);
		var id = created.json().get("id").asString();
		assertThat(id).isNotEqualTo(member);
		assertThat(created.json().get("source").asString()).isEqualTo("COLD");
		var ran = exec(id, Map.of("command", List.of("echo", "ok")));
		assertThat(ran.status()).as(ran.body()).isEqualTo(200);
		assertThat(ran.json().get("stdout").asString()).isEqualTo("ok\n");
		var failed = jdbc.queryForMap("select status, source from sandboxes where id = ?", member);
		assertThat(failed).containsEntry("status", "FAILED").containsEntry("source", "POOL");
		assertThat(pools.members(pool)).isEmpty();
	}

	@Test
	void aPooledEgressSandboxKeepsAirlocksProxySettingsWhateverItsCreatesEnvSays() {
		var policy = newPolicy(Map.of("network", "EGRESS", "egressAllowlist", List.of("example.test")));
		var pool = pools.create(policy, 1);
		pools.awaitReady(pool, 1);

		var id = api.sandbox(Map.of("image", IMAGE, "policy", policy, "env",
				Map.of("HTTP_PROXY", "http://elsewhere.test:1", "no_proxy", "*", "GREETING", "hi")));

		assertThat(sandboxJson(id).get("source").asString()).isEqualTo("POOL");
		var seen = exec(id, Map.of("command", List.of("sh", "-c", "echo \"$HTTP_PROXY $no_proxy $GREETING\"")));
		assertThat(seen.json().get("stdout").asString())
			.isEqualTo("http://127.0.0.1:3128 localhost,127.0.0.1,::1 hi\n");
	}

	@Test
	void membersCountAgainstNoQuotaUntilClaimed() {
		var tenant = uniqueName("small");
		var put = api.put("/v1/tenants/" + tenant + "/quota", Map.of("maxSandboxes", 1, "maxConcurrentUploads", 1));
		assertThat(put.status()).as(put.body()).isEqualTo(200);
		var policy = newPolicy(Map.of());
		var pool = pools.create(policy, 2);
		pools.awaitReady(pool, 2);
		var agent = apiKey(tenant, "AGENT");

		var first = api.createSandbox(Map.of("image", IMAGE, "policy", policy), agent);
		assertThat(first.status()).as(first.body()).isEqualTo(201);
		assertThat(first.json().get("source").asString()).isEqualTo("POOL");
		var second = api.createSandbox(Map.of("image", IMAGE, "policy", policy), agent);
		assertThat(second.status()).as(second.body()).isEqualTo(429);
		assertThat(second.code()).isEqualTo("QUOTA_EXCEEDED");
		assertThat(pools.members(pool)).hasSize(1);
	}

	@Test
	void aMemberWhoseContainerIsRemovedBehindAirlocksBackIsReplacedAndNoSandboxIsLost() {
		var policy = newPolicy(Map.of());
		var pool = pools.create(policy, 1);
		pools.awaitReady(pool, 1);
		var member = pools.members(pool).getFirst();

		pools.removeContainer(docker, member);

		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> !pools.members(pool).isEmpty() && !pools.members(pool).contains(member));
		pools.awaitReady(pool, 1);
		assertThat(jdbc.queryForObject("select count(*) from sandboxes where id = ?", Long.class, member)).isZero();
		var id = api.sandbox(Map.of("image", IMAGE, "policy", policy));
		assertThat(sandboxJson(id).get("source").asString()).isEqualTo("POOL");
		assertThat(exec(id, Map.of("command", List.of("echo", "ok"))).json().get("stdout").asString())
			.isEqualTo("ok\n");
	}

	@Test
	void aNewPolicyVersionDrainsTheMembersOfTheOldOne() {
		var policy = newPolicy(Map.of("cpus", 0.5));
		var pool = pools.create(policy, 2);
		pools.awaitReady(pool, 2);
		var old = pools.members(pool);

		var updated = api.put("/v1/policies/" + policy, Map.of("allowedImages", List.of("busybox:*"), "cpus", 1));
		assertThat(updated.status()).as(updated.body()).isEqualTo(200);

		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> pools.members(pool).stream().noneMatch(old::contains));
		pools.awaitReady(pool, 2);
		for (var gone : old) {
			await().atMost(Duration.ofSeconds(10)).until(() -> docker.containersOf(gone).isEmpty());
		}
		var id = api.sandbox(Map.of("image", IMAGE, "policy", policy));
		var sandbox = sandboxJson(id);
		assertThat(sandbox.get("source").asString()).isEqualTo("POOL");
		assertThat(sandbox.get("policyVersion").asInt()).isEqualTo(2);
		assertThat(docker.inspect(id).getHostConfig().getNanoCPUs()).isEqualTo(1_000_000_000L);
	}

	@Test
	void aFailingImageShowsAsLastErrorAndIsTriedAgainOnlyAfterABackOff() {
		var policy = newPolicy(Map.of());
		var pool = pools.create(policy, "busybox:no-such-tag-here", 1);

		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> !pools.get(pool).json().get("lastError").isNull());
		var view = pools.get(pool).json();
		assertThat(view.get("lastError").asString()).contains("busybox:no-such-tag-here");
		assertThat(view.get("ready").asInt()).isZero();
		var firstAt = jdbc.queryForObject("select last_error_at from pools where name = ?", Timestamp.class, pool);
		// a pass runs every 500 ms; the back-off (1 s, then 2 s, 4 s…) spaces the tries
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> !firstAt
				.equals(jdbc.queryForObject("select last_error_at from pools where name = ?", Timestamp.class, pool)));
		var secondAt = jdbc.queryForObject("select last_error_at from pools where name = ?", Timestamp.class, pool);
		assertThat(Duration.between(firstAt.toInstant(), secondAt.toInstant()))
			.isGreaterThanOrEqualTo(Duration.ofMillis(900));
		assertThat(pools.members(pool)).isEmpty();
		assertThat(docker.client()
			.listContainersCmd()
			.withShowAll(true)
			.withLabelFilter(Map.of("airlock.pool", pool))
			.exec()).isEmpty();
	}

	@Test
	void aDeletedPoolsMembersAreRemovedAndAShrunkPoolDropsItsExtraMembers() {
		var policy = newPolicy(Map.of());
		var pool = pools.create(policy, 3);
		pools.awaitReady(pool, 3);

		var shrunk = api.put("/v1/pools/" + pool, Map.of("policy", policy, "image", IMAGE, "size", 1));
		assertThat(shrunk.status()).as(shrunk.body()).isEqualTo(200);
		pools.awaitReady(pool, 1);
		var kept = pools.members(pool);
		await().atMost(Duration.ofSeconds(10)).until(() -> poolContainers(pool) == 1);

		assertThat(api.delete("/v1/pools/" + pool).status()).isEqualTo(204);
		await().atMost(Duration.ofSeconds(10)).until(() -> poolContainers(pool) == 0);
		assertThat(docker.containersOf(kept.getFirst())).isEmpty();
	}

	@Test
	void aPoolDeletedWhileACreateClaimsOneOfItsMembersIsDeletedAndTheClaimCommits() throws Exception {
		var policy = newPolicy(Map.of());
		var pool = pools.create(policy, 1);
		pools.awaitReady(pool, 1);
		pools.holdRefill();
		var member = pools.members(pool).getFirst();
		try (var claim = jdbc.getDataSource().getConnection();
				var threads = Executors.newVirtualThreadPerTaskExecutor()) {
			claim.setAutoCommit(false);
			// a create's claim, statement by statement: the member's row first, then its
			// pool's count
			try (var delete = claim.prepareStatement("delete from pool_members where id = ?")) {
				delete.setString(1, member);
				assertThat(delete.executeUpdate()).isEqualTo(1);
			}
			var deleted = threads.submit(() -> api.delete("/v1/pools/" + pool));
			await().atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(20))
				.until(() -> deleted.isDone() || jdbc.queryForObject("""
						select count(*) from pg_stat_activity
						where wait_event_type = 'Lock' and query like 'delete from %'""", Integer.class) > 0);
			try (var count = claim.prepareStatement("update pools set claimed = claimed + 1 where name = ?")) {
				count.setString(1, pool);
				count.executeUpdate();
			}
			claim.commit();

			var answer = deleted.get();
			assertThat(answer.status()).as(answer.body()).isEqualTo(204);
		}
		assertThat(pools.get(pool).status()).isEqualTo(404);
	}

	@Test
	void aPassLooksAtClaimedMembersInOneQueryNotOneEach() {
		var policy = newPolicy(Map.of());
		var pool = pools.create(policy, 3);
		pools.awaitReady(pool, 3);
		pools.holdRefill();
		for (var i = 0; i < 3; i++) {
			var id = api.sandbox(Map.of("image", IMAGE, "policy", policy));
			assertThat(sandboxJson(id).get("source").asString()).isEqualTo("POOL");
		}
		// nothing to start: the pass only looks
		api.put("/v1/pools/" + pool, Map.of("policy", policy, "image", IMAGE, "size", 0));

		try (var second = SecondInstance.start(database, Map.of(), StatementLog.class)) {
			var refill = second.getBean(PoolRefill.class);
			refill.run();
			StatementLog.thread = Thread.currentThread();
			try {
				refill.run();
			}
			finally {
				StatementLog.thread = null;
			}
		}
		var perSandbox = StatementLog.statements.stream()
			.filter(sql -> sql.contains("where id = ?")
					&& (sql.contains("from sandboxes") || sql.contains("from pool_members")))
			.toList();
		assertThat(perSandbox).isEmpty();
	}

	private int poolContainers(String pool) {
		return docker.client()
			.listContainersCmd()
			.withShowAll(true)
			.withLabelFilter(Map.of("airlock.pool", pool))
			.exec()
			.size();
	}

}
