package dev.airlock.pool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.airlock.Api;
import dev.airlock.DockerProbe;
import dev.airlock.IntegrationTestSupport;
import dev.airlock.enforcement.OnePerEngine;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pools for tests: made through the API, waited on, and — as another replica refilling
 * would — held still while a test counts.
 */
public final class PoolFixture {

	private final Api api;

	private final JdbcTemplate jdbc;

	private final String engineId;

	private final List<String> made = new ArrayList<>();

	public PoolFixture(Api api, JdbcTemplate jdbc, String engineId) {
		this.api = api;
		this.jdbc = jdbc;
		this.engineId = engineId;
	}

	/** A pool of {@code size} members of {@code policy} and the tests' image. */
	public String create(String policy, int size) {
		return create(policy, IntegrationTestSupport.IMAGE, size);
	}

	public String create(String policy, String image, int size) {
		var name = "pool-" + UUID.randomUUID().toString().substring(0, 8);
		var response = api.post("/v1/pools", Map.of("name", name, "policy", policy, "image", image, "size", size));
		assertThat(response.status()).as(response.body()).isEqualTo(201);
		made.add(name);
		return name;
	}

	public Api.Response get(String pool) {
		return api.get("/v1/pools/" + pool);
	}

	/** Waits until the pool has {@code ready} ready members and none starting. */
	public void awaitReady(String pool, int ready) {
		await().alias(pool + " to hold " + ready + " ready members")
			.atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> {
				var json = get(pool).json();
				return json.get("ready").asInt() == ready && json.get("starting").asInt() == 0;
			});
	}

	/** The ids of the pool's members now, ready or starting. */
	public List<String> members(String pool) {
		return jdbc.queryForList("select id from pool_members where pool = ? order by id", String.class, pool);
	}

	/**
	 * Takes the refill's lock for this engine as another replica would, until
	 * {@link #releaseRefill()}: no member starts or is dropped meanwhile. Waits for a
	 * pass running now to end.
	 */
	public void holdRefill() {
		var name = lockName();
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
			jdbc.update("""
					insert into shedlock (name, lock_until, locked_at, locked_by)
					values (?, now() + interval '1 hour', now(), 'a test') on conflict (name) do nothing""", name);
			return jdbc.update("""
					update shedlock set lock_until = now() + interval '1 hour', locked_at = now(), locked_by = 'a test'
					where name = ? and (lock_until <= now() or locked_by = 'a test')""", name) == 1;
		});
	}

	public void releaseRefill() {
		jdbc.update("update shedlock set lock_until = now() where name = ? and locked_by = 'a test'", lockName());
	}

	private String lockName() {
		return OnePerEngine.lockName("pool-refill", engineId);
	}

	/**
	 * Removes the member's container behind Airlock's back (its row still says READY
	 * until a refill pass looks).
	 */
	public void removeContainer(DockerProbe docker, String member) {
		docker.client().removeContainerCmd(docker.containersOf(member).getFirst().getId()).withForce(true).exec();
	}

	/** Deletes the pools this fixture made (their members go with them). */
	public void cleanUp() {
		releaseRefill();
		for (var pool : made) {
			api.delete("/v1/pools/" + pool);
		}
		made.clear();
	}

}
