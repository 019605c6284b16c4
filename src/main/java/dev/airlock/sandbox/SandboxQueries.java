package dev.airlock.sandbox;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.airlock.security.Caller;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reading sandboxes: one or a page as a caller may see them, and the live set as the
 * enforcement sweeps see it. Never changes a row.
 */
@Service
@Transactional(readOnly = true)
public class SandboxQueries {

	private final Sandboxes sandboxes;

	private final JdbcClient jdbc;

	SandboxQueries(Sandboxes sandboxes, JdbcClient jdbc) {
		this.sandboxes = sandboxes;
		this.jdbc = jdbc;
	}

	/**
	 * One sandbox, if the caller may see it.
	 * @throws SandboxNotFound otherwise: another tenant's sandbox does not exist for them
	 */
	public SandboxView get(String id, Caller caller) {
		return sandboxes.findById(id)
			.filter(sandbox -> caller.canSee(sandbox.tenant()))
			.orElseThrow(() -> new SandboxNotFound(id))
			.toView();
	}

	/** A page of the sandboxes the caller may see that match {@code filter}. */
	public Page<SandboxView> list(SandboxFilter filter, Pageable pageable, Caller caller) {
		if (!caller.seesAllTenants() && filter.tenant() != null && !filter.tenant().equals(caller.tenant())) {
			return Page.empty(pageable);
		}
		var scoped = caller.seesAllTenants() ? filter
				: new SandboxFilter(caller.tenant(), filter.status(), filter.labels());
		return sandboxes.findAll(scoped.toSpecification(), pageable).map(Sandbox::toView);
	}

	/**
	 * The sandbox's status now, straight from the database; empty when there is no such
	 * sandbox.
	 */
	public Optional<SandboxStatus> statusNow(String id) {
		return jdbc.sql("select status from sandboxes where id = :id")
			.param("id", id)
			.query((row, n) -> SandboxStatus.valueOf(row.getString("status")))
			.optional();
	}

	/** Which of {@code ids} are sandboxes (of any status): one query however many. */
	public Set<String> existing(Collection<String> ids) {
		if (ids.isEmpty()) {
			return Set.of();
		}
		return Set.copyOf(jdbc.sql("select id from sandboxes where id = any(:ids)")
			.param("ids", ids.toArray(String[]::new))
			.query(String.class)
			.list());
	}

	/** The tenant of the sandbox; empty when there is no such sandbox. */
	public Optional<String> tenant(String id) {
		return jdbc.sql("select tenant from sandboxes where id = :id").param("id", id).query(String.class).optional();
	}

	/**
	 * Every sandbox that is not terminal and runs on {@code engine}, or whose engine is
	 * not recorded (a row from before engines were: it belongs to the engine that has
	 * it).
	 */
	public List<LiveSandbox> live(String engine) {
		return jdbc.sql("""
				select id, tenant, status, policy_name, policy_version, created_at, engine_id from sandboxes
				where status in ('CREATING', 'RUNNING', 'STOPPING') and (engine_id = :engine or engine_id is null)""")
			.param("engine", engine)
			.query((row, n) -> new LiveSandbox(row.getString("id"), row.getString("tenant"),
					SandboxStatus.valueOf(row.getString("status")), row.getString("policy_name"),
					row.getInt("policy_version"), row.getTimestamp("created_at").toInstant(),
					row.getString("engine_id")))
			.list();
	}

	/**
	 * Ids of RUNNING sandboxes of {@code tenant}, or of every tenant when it is
	 * {@code null}.
	 */
	public List<String> running(@Nullable String tenant) {
		return jdbc.sql(
				"select id from sandboxes where status = 'RUNNING' and (cast(:tenant as varchar) is null or tenant = :tenant)")
			.param("tenant", tenant)
			.query(String.class)
			.list();
	}

}
