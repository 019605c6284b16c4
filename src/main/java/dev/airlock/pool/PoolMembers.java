package dev.airlock.pool;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.airlock.core.Deployment;
import dev.airlock.sandbox.PooledContainers;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code pool_members} rows. A member's row is written before its container is
 * created and deleted before its container is removed, so a container of a pool always
 * has a row while it may be claimed.
 */
@Repository
class PoolMembers {

	private final JdbcClient jdbc;

	private final Deployment deployment;

	PoolMembers(JdbcClient jdbc, Deployment deployment) {
		this.jdbc = jdbc;
		this.deployment = deployment;
	}

	/** One member row. */
	record Member(String id, String pool, String policy, int policyVersion, String image, boolean ready,
			Instant createdAt) {
	}

	/** A member about to be started, counted from now on. */
	void insertStarting(String id, String pool, String policy, int policyVersion, String image, String engineId,
			Instant now) {
		jdbc.sql("""
				insert into pool_members (id, pool, policy_name, policy_version, image, state, engine_id, deployment,
				                          created_at)
				values (:id, :pool, :policy, :version, :image, 'STARTING', :engine, :deployment, :now)""")
			.param("deployment", deployment.id())
			.param("id", id)
			.param("pool", pool)
			.param("policy", policy)
			.param("version", policyVersion)
			.param("image", image)
			.param("engine", engineId)
			.param("now", Timestamp.from(now))
			.update();
	}

	/** The member's container runs; false when its row is gone meanwhile (drained). */
	boolean markReady(String id, String containerId, Instant now) {
		return jdbc.sql("""
				update pool_members set state = 'READY', container_id = :container, ready_at = :now
				where id = :id and state = 'STARTING'""")
			.param("id", id)
			.param("container", containerId)
			.param("now", Timestamp.from(now))
			.update() == 1;
	}

	/** Removes the row; false when it was gone (claimed, or drained by another pass). */
	boolean delete(String id) {
		return jdbc.sql("delete from pool_members where id = :id").param("id", id).update() == 1;
	}

	/** This deployment's members on {@code engineId}. */
	List<Member> onEngine(String engineId) {
		return jdbc.sql("""
				select id, pool, policy_name, policy_version, image, state, created_at
				from pool_members where engine_id = :engine and deployment = :deployment order by created_at""")
			.param("engine", engineId)
			.param("deployment", deployment.id())
			.query((row, n) -> new Member(row.getString("id"), row.getString("pool"), row.getString("policy_name"),
					row.getInt("policy_version"), row.getString("image"), "READY".equals(row.getString("state")),
					row.getTimestamp("created_at").toInstant()))
			.list();
	}

	boolean exists(String id) {
		return jdbc.sql("select count(*) from pool_members where id = :id")
			.param("id", id)
			.query(Long.class)
			.single() > 0;
	}

	/** The ids of the pool's members, on every engine. */
	List<String> ofPool(String pool) {
		return jdbc.sql("select id from pool_members where pool = :pool")
			.param("pool", pool)
			.query(String.class)
			.list();
	}

	/** Every member's id, of every engine. */
	List<String> ids() {
		return jdbc.sql("select id from pool_members").query(String.class).list();
	}

	/**
	 * Deletes and answers the oldest ready member of this policy version and image that
	 * this deployment has on {@code engineId}, skipping rows another transaction holds: a
	 * racing claim gets another member or none, never this one.
	 */
	Optional<PooledContainers.Member> claim(String policy, int policyVersion, String image, String engineId) {
		return jdbc.sql("""
				with pick as (
				    select id from pool_members
				    where state = 'READY' and engine_id = :engine and deployment = :deployment and policy_name = :policy
				        and policy_version = :version and image = :image
				    order by ready_at limit 1 for update skip locked)
				delete from pool_members m using pick where m.id = pick.id
				returning m.id, m.pool, m.container_id""")
			.param("engine", engineId)
			.param("deployment", deployment.id())
			.param("policy", policy)
			.param("version", policyVersion)
			.param("image", image)
			.query((row, n) -> new PooledContainers.Member(row.getString("id"), row.getString("pool"),
					row.getString("container_id")))
			.optional();
	}

}
