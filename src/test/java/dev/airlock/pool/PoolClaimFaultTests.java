package dev.airlock.pool;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

import dev.airlock.IntegrationTestSupport;
import dev.airlock.runtime.EngineIdentity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Claims meeting faults: a member whose container went before the refill noticed, a
 * create whose env or working folder the member cannot take, a pool deleted while a
 * create claims one of its members.
 */
class PoolClaimFaultTests extends IntegrationTestSupport {

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
	void aMemberWhoseContainerWentBeforeTheRefillNoticedIsNotHandedOut() {
		var policy = newPolicy(Map.of());
		var pool = pools.create(policy, 1);
		pools.awaitReady(pool, 1);
		// no refill pass drops the member meanwhile, as none would between two passes
		pools.holdRefill();
		var member = pools.members(pool).getFirst();
		docker.client().removeContainerCmd(docker.containersOf(member).getFirst().getId()).withForce(true).exec();

		var created = api.createSandbox(Map.of("image", IMAGE, "policy", policy));

		assertThat(created.status()).as(created.body()).isEqualTo(201);
		var id = created.json().get("id").asString();
		assertThat(id).isNotEqualTo(member);
		assertThat(created.json().get("source").asString()).isEqualTo("COLD");
		var ran = exec(id, Map.of("command", List.of("echo", "ok")));
		assertThat(ran.status()).as(ran.body()).isEqualTo(200);
		assertThat(ran.json().get("stdout").asString()).isEqualTo("ok\n");
		assertThat(jdbc.queryForObject("select status from sandboxes where id = ?", String.class, member))
			.isEqualTo("FAILED");
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

}
