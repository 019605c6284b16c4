package dev.airlock.egress;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import dev.airlock.egress.DecisionRows.Unaudited;
import dev.airlock.sandbox.SandboxEvents.SandboxEnded;
import dev.airlock.sandbox.SandboxQueries;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Puts counted decisions into the audit log, one event per row and minute: rows whose
 * minute has closed (a job, one replica at a time, rows locked so no two writers audit
 * one count), and all of a sandbox's rows as soon as it ends. A row's counts are marked
 * audited in the transaction that writes their event: a crash writes both or neither.
 */
@Component
class EgressAudit {

	/**
	 * How long after its minute ends a row waits: the replicas' flushes (every second)
	 * have added their counts by then. Counts that come later are audited by the next
	 * run.
	 */
	static final Duration GRACE = Duration.ofSeconds(5);

	private static final int BATCH = 100;

	private static final Logger log = LoggerFactory.getLogger(EgressAudit.class);

	private final DecisionRows rows;

	private final EgressDecisions decisions;

	private final SandboxQueries sandboxes;

	private final ApplicationEventPublisher events;

	private final TransactionTemplate newTransaction;

	private final Clock clock;

	EgressAudit(DecisionRows rows, EgressDecisions decisions, SandboxQueries sandboxes,
			ApplicationEventPublisher events, PlatformTransactionManager transactions, Clock clock) {
		this.rows = rows;
		this.decisions = decisions;
		this.sandboxes = sandboxes;
		this.events = events;
		this.newTransaction = new TransactionTemplate(transactions);
		// also called after a sandbox's ending committed, while that transaction's
		// resources are still bound
		this.newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.clock = clock;
	}

	@Scheduled(fixedDelayString = "${airlock.egress.audit-interval:15s}",
			initialDelayString = "${airlock.egress.audit-interval:15s}")
	@SchedulerLock(name = "egress-audit", lockAtMostFor = "PT10M")
	void auditClosedMinutes() {
		try {
			auditClosedMinutes(clock.instant());
		}
		catch (RuntimeException e) {
			log.warn("Egress decisions not audited yet: {}", e.getMessage());
		}
	}

	/**
	 * Audits every row whose minute ended at least {@link #GRACE} before {@code now};
	 * answers how many events it wrote.
	 */
	int auditClosedMinutes(Instant now) {
		var before = now.minus(Duration.ofMinutes(1)).minus(GRACE);
		int written = 0;
		while (true) {
			var batch = newTransaction.execute(status -> {
				var closed = rows.closed(before, BATCH);
				var tenants = new HashMap<String, Optional<String>>();
				audit(closed, id -> tenants.computeIfAbsent(id, sandboxes::tenant).orElse(null));
				return closed.size();
			});
			written += batch;
			if (batch < BATCH) {
				return written;
			}
		}
	}

	/**
	 * An ended sandbox's decisions go to the audit log at once: this JVM's pending counts
	 * first. After the ending committed (the ending's own events come first); a crash in
	 * between leaves the rows to {@link #auditClosedMinutes()}.
	 */
	@TransactionalEventListener(fallbackExecution = true)
	void on(SandboxEnded ended) {
		decisions.forget(ended.sandboxId());
		try {
			decisions.flush();
			newTransaction
				.executeWithoutResult(status -> audit(rows.ofSandbox(ended.sandboxId()), id -> ended.tenant()));
		}
		catch (RuntimeException e) {
			// the ending stands; the job audits the rows once their minute has closed
			log.warn("Egress decisions of {} not audited yet: {}", ended.sandboxId(), e.getMessage());
		}
	}

	private void audit(List<Unaudited> unaudited, Function<String, @Nullable String> tenantOf) {
		for (var row : unaudited) {
			events.publishEvent(new EgressTallied(row.sandboxId(), tenantOf.apply(row.sandboxId()), row.destination(),
					row.port(), row.decision(), row.count() - row.auditedCount(), row.minute()));
			rows.audited(row);
		}
	}

}
