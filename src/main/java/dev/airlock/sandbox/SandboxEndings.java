package dev.airlock.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import dev.airlock.runtime.ContainerLifecycle;
import dev.airlock.sandbox.SandboxEvents.SandboxEnded;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every ending of a sandbox, whoever asks (a client's delete, an expiry, a kill, a loss):
 * a claim (a row lock; RUNNING → STOPPING with the outcome recorded), the container's
 * removal, then the outcome. Of several callers at once exactly one wins the claim; a
 * crash between the steps leaves a STOPPING row that says what to finish.
 */
@Service
public class SandboxEndings {

	/**
	 * The actor of endings nobody asked for: expiry, the watchdog, the engine's events.
	 */
	public static final String SYSTEM = "system";

	private static final Logger log = LoggerFactory.getLogger(SandboxEndings.class);

	private final Sandboxes sandboxes;

	private final ContainerLifecycle containers;

	private final ApplicationEventPublisher events;

	private final TransactionTemplate tx;

	private final JdbcClient jdbc;

	private final MeterRegistry meters;

	private final Clock clock;

	SandboxEndings(Sandboxes sandboxes, ContainerLifecycle containers, ApplicationEventPublisher events,
			PlatformTransactionManager transactions, JdbcClient jdbc, MeterRegistry meters, Clock clock) {
		this.sandboxes = sandboxes;
		this.containers = containers;
		this.events = events;
		this.tx = new TransactionTemplate(transactions);
		this.jdbc = jdbc;
		this.meters = meters;
		this.clock = clock;
	}

	/**
	 * Ends a live sandbox with {@code outcome}: claims it, removes its container, records
	 * the outcome. Of several callers at once (replicas, sweeps, a client), exactly one
	 * wins; the others answer {@code false}.
	 * @return whether this call ended the sandbox
	 */
	public boolean end(String id, SandboxStatus outcome, EndReason reason, @Nullable String detail, String actor) {
		var claimed = tx.execute(status -> {
			var row = sandboxes.findForUpdate(id).orElse(null);
			if (row == null || row.status().isTerminal()) {
				return Claim.NONE;
			}
			if (row.status() == SandboxStatus.CREATING) {
				// The creating request sees this and removes whatever it started.
				row.end(outcome, reason, detail, clock.instant());
				publishEnded(row, actor);
				return Claim.ENDED_WHILE_CREATING;
			}
			if (row.status() == SandboxStatus.STOPPING) {
				return Claim.ALREADY_STOPPING; // someone else is on it; help finish below
			}
			row.markStopping(outcome, reason, detail);
			return Claim.CLAIMED;
		});
		return switch (claimed) {
			case NONE -> false;
			case ENDED_WHILE_CREATING -> {
				removeQuietly(id);
				yield true;
			}
			case ALREADY_STOPPING -> {
				finishEnding(id, actor);
				yield false;
			}
			case CLAIMED -> finishEnding(id, actor);
		};
	}

	/**
	 * Removes the container of a STOPPING sandbox and applies its recorded outcome: the
	 * second half of an ending, also run by the reconciler for endings a crash
	 * interrupted.
	 * @return whether this call applied the outcome
	 */
	public boolean finishEnding(String id, String actor) {
		containers.remove(id);
		return Boolean.TRUE.equals(tx.execute(status -> {
			var row = sandboxes.findForUpdate(id).orElseThrow();
			if (row.status() != SandboxStatus.STOPPING) {
				return false;
			}
			row.finishStopping(clock.instant());
			publishEnded(row, actor);
			return true;
		}));
	}

	/**
	 * Claims up to {@code limit} RUNNING sandboxes on {@code engine} (or of no recorded
	 * engine) past their lease or their idle timeout, by the database's clock (a clock
	 * jump on this host expires nothing), skipping rows another replica holds. A sandbox
	 * on another engine is left to a replica that can remove its container.
	 * @return the claimed ids; finish each with {@link #finishEnding}
	 */
	public List<String> claimExpired(String engine, int limit) {
		return jdbc.sql("""
				update sandboxes s set status = 'STOPPING', ending_status = 'EXPIRED',
				       end_reason = case when s.expires_at <= now() then :ttl else :idle end
				where s.id in (
				    select id from sandboxes
				    where status = 'RUNNING' and (engine_id = :engine or engine_id is null)
				      and (expires_at <= now()
				           or last_activity_at + make_interval(secs => idle_timeout_seconds) <= now())
				    order by expires_at
				    limit :limit
				    for update skip locked)
				returning s.id""")
			.param("ttl", EndReason.TTL_EXPIRED.name())
			.param("idle", EndReason.IDLE_TIMEOUT.name())
			.param("engine", engine)
			.param("limit", limit)
			.query(String.class)
			.list();
	}

	/**
	 * A CREATING row older than {@code age} whose creator died: FAILED, and whatever it
	 * started is removed.
	 */
	public boolean failStuckCreate(String id, Duration age) {
		var failed = Boolean.TRUE.equals(tx.execute(status -> {
			var row = sandboxes.findForUpdate(id).orElse(null);
			if (row == null || row.status() != SandboxStatus.CREATING
					|| row.toView().createdAt().isAfter(clock.instant().minus(age))) {
				return false;
			}
			row.end(SandboxStatus.FAILED, EndReason.CREATE_INTERRUPTED, "The service stopped while creating it.",
					clock.instant());
			publishEnded(row, SYSTEM);
			return true;
		}));
		if (failed) {
			containers.remove(id);
		}
		return failed;
	}

	/**
	 * Removes what a sandbox left in the engine; a failure is the reconciler's to retry.
	 */
	void removeQuietly(String id) {
		try {
			containers.remove(id);
		}
		catch (RuntimeException e) {
			log.warn("Could not remove the container of {}: {}; the reconciler will", id, e.getMessage());
		}
	}

	/** Inside the transaction that ended the row: the audit record commits with it. */
	private void publishEnded(Sandbox row, String actor) {
		var view = row.toView();
		var reason = String.valueOf(view.endReason());
		meters.counter("airlock.sandboxes.ended", "status", view.status().name(), "reason", reason).increment();
		if (view.status() == SandboxStatus.KILLED) {
			meters.counter("airlock.enforcement.kills", "reason", reason).increment();
		}
		log.info("Sandbox {} {} ({}) by {}", view.id(), view.status(), reason, actor);
		events.publishEvent(
				new SandboxEnded(view.id(), view.tenant(), view.status(), view.endReason(), view.endDetail(), actor));
	}

	private enum Claim {

		NONE, CLAIMED, ALREADY_STOPPING, ENDED_WHILE_CREATING

	}

}
