package dev.airlock.egress;

import java.time.Instant;

import dev.airlock.egress.EgressDecision.Decision;
import org.jspecify.annotations.Nullable;

/**
 * Decisions of one minute for one sandbox, destination, port and decision, counted and
 * ready for the audit log; published inside the transaction that marks them audited.
 * {@code tenant} is null only when the sandbox's row is gone.
 */
public record EgressTallied(String sandboxId, @Nullable String tenant, String destination, int port, Decision decision,
		long count, Instant minute) {
}
