package dev.airlock.sandbox;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A sandbox that is not yet terminal, as the enforcement sweeps see it.
 *
 * @param engineId the engine it runs on; {@code null} for a row from before engines were
 * recorded
 */
public record LiveSandbox(String id, String tenant, SandboxStatus status, String policy, int policyVersion,
		Instant createdAt, @Nullable String engineId) {
}
