package dev.airlock.sandbox;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;

import dev.airlock.policy.PolicyService;
import dev.airlock.security.Caller;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * What exec and files call: the start and the heartbeat of real activity in a sandbox,
 * which keeps its idle timeout away. One statement each, on the hot path.
 */
@Service
public class SandboxActivity {

	private final JdbcClient jdbc;

	private final PolicyService policies;

	private final SandboxQueries queries;

	private final Clock clock;

	SandboxActivity(JdbcClient jdbc, PolicyService policies, SandboxQueries queries, Clock clock) {
		this.jdbc = jdbc;
		this.policies = policies;
		this.queries = queries;
		this.clock = clock;
	}

	/**
	 * The start of real activity (an exec, a file call) in a sandbox the caller may see:
	 * it must be RUNNING, and its {@code lastActivityAt}, which the idle timeout reads,
	 * moves to now.
	 * @throws SandboxNotFound when the caller may not see it
	 * @throws SandboxNotRunning when it is not RUNNING
	 */
	public ActiveSandbox begin(String id, Caller caller) {
		var row = jdbc.sql("""
				update sandboxes set last_activity_at = :now
				where id = :id and status = 'RUNNING' and (:allTenants or tenant = :tenant)
				returning id, tenant, policy_name, policy_version""")
			.param("now", Timestamp.from(clock.instant()))
			.param("id", id)
			.param("allTenants", caller.seesAllTenants())
			.param("tenant", caller.tenant())
			.query((rs, n) -> new Touched(rs.getString("id"), rs.getString("tenant"), rs.getString("policy_name"),
					rs.getInt("policy_version")))
			.optional();
		if (row.isPresent()) {
			var touched = row.get();
			var policy = policies.version(touched.policy(), touched.policyVersion())
				.orElseThrow(() -> new IllegalStateException("pinned policy version is missing"));
			return new ActiveSandbox(touched.id(), touched.tenant(), policy);
		}
		var sandbox = queries.get(id, caller); // not found, or not RUNNING: say which
		throw new SandboxNotRunning(id, sandbox.status());
	}

	/**
	 * A RUNNING sandbox with the policy version it is pinned to, for the system's own use
	 * (no caller, nothing touched): the egress gateway's view of whose connection it
	 * holds. A CREATING one too: its main command runs before the row says RUNNING, and
	 * its policy was pinned before its container started.
	 */
	public Optional<ActiveSandbox> running(String id) {
		return jdbc.sql("""
				select tenant, policy_name, policy_version from sandboxes
				where id = :id and status in ('CREATING', 'RUNNING')""")
			.param("id", id)
			.query((rs, n) -> new Touched(id, rs.getString("tenant"), rs.getString("policy_name"),
					rs.getInt("policy_version")))
			.optional()
			.flatMap(row -> policies.version(row.policy(), row.policyVersion())
				.map(policy -> new ActiveSandbox(id, row.tenant(), policy)));
	}

	/**
	 * Activity goes on (a long exec, a transfer): {@code lastActivityAt} moves to now.
	 */
	public void heartbeat(String id) {
		jdbc.sql("update sandboxes set last_activity_at = :now where id = :id and status = 'RUNNING'")
			.param("now", Timestamp.from(clock.instant()))
			.param("id", id)
			.update();
	}

	private record Touched(String id, String tenant, String policy, int policyVersion) {
	}

}
