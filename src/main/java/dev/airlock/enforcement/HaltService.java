package dev.airlock.enforcement;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import dev.airlock.enforcement.events.HaltChanged;
import dev.airlock.sandbox.CreateGuard;
import dev.airlock.sandbox.EndReason;
import dev.airlock.sandbox.SandboxEndings;
import dev.airlock.sandbox.SandboxQueries;
import dev.airlock.sandbox.SandboxStatus;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The fail-safe. A halt kills every running sandbox of its tenant (or of all tenants) at
 * once and refuses creates until lifted; halts live in the database, so they hold across
 * restarts and replicas. The expiry sweep calls {@link #enforce()} too, which catches a
 * create that raced the halt.
 */
@Service
public class HaltService implements CreateGuard {

	private static final Logger log = LoggerFactory.getLogger(HaltService.class);

	private final TransactionTemplate tx;

	private final JdbcClient jdbc;

	private final SandboxQueries queries;

	private final SandboxEndings endings;

	private final EnforcementSettings settings;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	HaltService(JdbcClient jdbc, SandboxQueries queries, SandboxEndings endings, EnforcementSettings settings,
			ApplicationEventPublisher events, PlatformTransactionManager transactions, Clock clock) {
		this.tx = new TransactionTemplate(transactions);
		this.jdbc = jdbc;
		this.queries = queries;
		this.endings = endings;
		this.settings = settings;
		this.events = events;
		this.clock = clock;
	}

	/** What a halt call answers: the halt and how many sandboxes it ended. */
	public record HaltResult(@Nullable String tenant, String reason, Instant createdAt, String createdBy, int killed) {
	}

	public HaltResult halt(@Nullable String tenant, String reason, String actor) {
		var now = clock.instant();
		tx.executeWithoutResult(status -> {
			jdbc.sql("""
					insert into halts (tenant, reason, created_at, created_by) values (:tenant, :reason, :now, :actor)
					on conflict (coalesce(tenant, '')) do update set reason = excluded.reason""")
				.param("tenant", tenant)
				.param("reason", reason)
				.param("now", Timestamp.from(now))
				.param("actor", actor)
				.update();
			events.publishEvent(new HaltChanged(tenant, true, reason, 0, actor));
		});
		var halt = find(tenant);
		var killed = killRunning(tenant, actor);
		log.warn("HALT {} by {}: {} ({} sandboxes killed)", tenant == null ? "of all tenants" : "of " + tenant, actor,
				reason, killed);
		return new HaltResult(tenant, reason, halt.createdAt(), halt.createdBy(), killed);
	}

	/**
	 * Lifts the halt of {@code tenant} ({@code null}: the global one); lifting none is
	 * fine.
	 */
	public void lift(@Nullable String tenant, String actor) {
		tx.executeWithoutResult(status -> {
			var lifted = jdbc
				.sql("delete from halts where coalesce(tenant, '') = coalesce(cast(:tenant as varchar), '')")
				.param("tenant", tenant)
				.update();
			if (lifted > 0) {
				log.warn("Halt {} lifted by {}", tenant == null ? "of all tenants" : "of " + tenant, actor);
				events.publishEvent(new HaltChanged(tenant, false, "lifted", 0, actor));
			}
		});
	}

	public List<Halt> active() {
		return jdbc.sql("select tenant, reason, created_at, created_by from halts order by created_at")
			.query((row, n) -> new Halt(row.getString("tenant"), row.getString("reason"),
					row.getTimestamp("created_at").toInstant(), row.getString("created_by")))
			.list();
	}

	@Override
	public void check(String tenant) {
		for (var halt : active()) {
			if (halt.tenant() == null || halt.tenant().equals(tenant)) {
				throw new Halted(halt);
			}
		}
	}

	/**
	 * Kills what still runs under an active halt (a create that raced it, another
	 * replica's).
	 */
	void enforce() {
		for (var halt : active()) {
			killRunning(halt.tenant(), SandboxEndings.SYSTEM);
		}
	}

	private int killRunning(@Nullable String tenant, String actor) {
		var running = queries.running(tenant);
		var killed = new AtomicInteger();
		Endings.forEach(running, Math.max(settings.watchdogConcurrency(), 16), id -> {
			if (endings.end(id, SandboxStatus.KILLED, EndReason.HALTED, "halted", actor)) {
				killed.incrementAndGet();
			}
		});
		return killed.get();
	}

	private Halt find(@Nullable String tenant) {
		return active().stream().filter(h -> Objects.equals(h.tenant(), tenant)).findFirst().orElseThrow();
	}

}
