package dev.airlock.audit;

import java.time.Instant;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** One link of the audit chain, as the API answers it and the export writes it. */
public record AuditEvent(long seq, Instant at, @Nullable String tenant, String actor, String type,
		@Nullable String sandboxId, JsonNode data, String prevHash, String hash) {
}
