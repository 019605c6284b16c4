package dev.airlock.pool;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.Pageable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code pools} rows, each read with its members counted by state. */
@Repository
class Pools {

	private static final String VIEW = """
			select p.name, p.policy, p.image, p.size, p.claimed, p.last_error,
			    (select count(*) from pool_members m where m.pool = p.name and m.state = 'READY') as ready,
			    (select count(*) from pool_members m where m.pool = p.name and m.state = 'STARTING') as starting
			from pools p""";

	private final JdbcClient jdbc;

	Pools(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	Optional<PoolView> find(String name) {
		return jdbc.sql(VIEW + " where p.name = :name").param("name", name).query(Pools::view).optional();
	}

	Page<PoolView> page(Pageable pageable) {
		var items = jdbc.sql(VIEW + " order by p.name limit :size offset :offset")
			.param("size", pageable.getPageSize())
			.param("offset", pageable.getOffset())
			.query(Pools::view)
			.list();
		var total = jdbc.sql("select count(*) from pools").query(Long.class).single();
		return new PageImpl<>(items, pageable, total);
	}

	List<PoolView> all() {
		return jdbc.sql(VIEW + " order by p.name").query(Pools::view).list();
	}

	/** The pool's latest refill failure, shown until a refill succeeds. */
	void recordError(String name, String error, Instant at) {
		jdbc.sql("update pools set last_error = :error, last_error_at = :at where name = :name")
			.param("name", name)
			.param("error", error.length() > 1000 ? error.substring(0, 1000) : error)
			.param("at", Timestamp.from(at))
			.update();
	}

	void clearError(String name) {
		jdbc.sql(
				"update pools set last_error = null, last_error_at = null where name = :name and last_error is not null")
			.param("name", name)
			.update();
	}

	/** Inserts the pool; false when one of that name exists already. */
	boolean insert(String name, PoolDefinition definition, String actor, Instant now) {
		return jdbc.sql("""
				insert into pools (name, policy, image, size, created_at, created_by, updated_at)
				values (:name, :policy, :image, :size, :now, :actor, :now) on conflict (name) do nothing""")
			.param("name", name)
			.param("policy", definition.policy())
			.param("image", definition.image())
			.param("size", definition.size())
			.param("now", Timestamp.from(now))
			.param("actor", actor)
			.update() == 1;
	}

	/** Replaces the pool's policy, image and size; false when there is no such pool. */
	boolean replace(String name, PoolDefinition definition, Instant now) {
		return jdbc.sql("""
				update pools set policy = :policy, image = :image, size = :size, updated_at = :now
				where name = :name""")
			.param("name", name)
			.param("policy", definition.policy())
			.param("image", definition.image())
			.param("size", definition.size())
			.param("now", Timestamp.from(now))
			.update() == 1;
	}

	/**
	 * Deletes the pool and its member rows; false when there is no such pool. The members
	 * go first, as a claim takes them (a member's row, then its pool's): the cascade from
	 * the pool's row alone would wait for a member a claim holds while holding the pool's
	 * row the claim waits for.
	 */
	boolean delete(String name) {
		jdbc.sql("delete from pool_members where pool = :name").param("name", name).update();
		return jdbc.sql("delete from pools where name = :name").param("name", name).update() == 1;
	}

	private static PoolView view(ResultSet row, int n) throws SQLException {
		return new PoolView(row.getString("name"), row.getString("policy"), row.getString("image"), row.getInt("size"),
				row.getInt("ready"), row.getInt("starting"), row.getLong("claimed"), row.getString("last_error"));
	}

}
