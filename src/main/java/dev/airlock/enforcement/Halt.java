package dev.airlock.enforcement;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * An active halt: no creates for {@code tenant} (every tenant when {@code null}) until it
 * is lifted.
 *
 * @param tenant the halted tenant, or {@code null} for all
 * @param reason why, in the halter's words
 * @param createdAt when it began
 * @param createdBy who halted ({@code key:<id>})
 */
public record Halt(@Nullable String tenant, String reason, Instant createdAt, String createdBy) {
}
