package dev.airlock.enforcement.events;

import org.jspecify.annotations.Nullable;

/**
 * A halt began ({@code killed} sandboxes ended) or was lifted; {@code tenant} is
 * {@code null} for a halt of every tenant.
 */
public record HaltChanged(@Nullable String tenant, boolean active, String reason, int killed, String actor) {
}
