package dev.airlock.pool;

import java.util.Map;

import dev.airlock.IntegrationTestSupport;
import dev.airlock.SecondInstance;
import dev.airlock.runtime.EngineIdentity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a refill pass costs the database, counted statement by statement on a second
 * instance: it must not grow with the sandboxes that were once members (their containers
 * keep the pool's label for good).
 */
class PoolRefillCostTests extends IntegrationTestSupport {

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

}
