package dev.airlock.pool;

import java.util.Optional;
import java.util.Set;

import dev.airlock.sandbox.PooledContainers;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Pools as creates see them: a claim takes the oldest ready member of the create's policy
 * version and image on its engine, counts it on its pool ({@code claimed}), and commits
 * (or not) with the create's row.
 */
@Component
class MemberClaims implements PooledContainers {

	private final PoolMembers members;

	private final JdbcClient jdbc;

	private final MeterRegistry meters;

	MemberClaims(PoolMembers members, JdbcClient jdbc, MeterRegistry meters) {
		this.members = members;
		this.jdbc = jdbc;
		this.meters = meters;
	}

	@Override
	public Optional<Member> claim(String policy, int policyVersion, String image, String engineId) {
		var claimed = members.claim(policy, policyVersion, image, engineId);
		if (claimed.isPresent()) {
			var pool = claimed.get().pool();
			jdbc.sql("update pools set claimed = claimed + 1 where name = :pool").param("pool", pool).update();
			return claimed;
		}
		jdbc.sql("select name from pools where policy = :policy and image = :image order by name limit 1")
			.param("policy", policy)
			.param("image", image)
			.query(String.class)
			.optional()
			.ifPresent(pool -> count(pool, false));
		return claimed;
	}

	@Override
	public Set<String> members() {
		return Set.copyOf(members.ids());
	}

	@Override
	public void count(String pool, boolean hit) {
		meters.counter("airlock.pool.claims", "pool", pool, "outcome", hit ? "hit" : "miss").increment();
	}

}
