package dev.airlock.sandbox;

import java.time.Instant;

/** A sandbox that is not yet terminal, as the enforcement sweeps see it. */
public record LiveSandbox(String id, String tenant, SandboxStatus status, String policy, int policyVersion,
		Instant createdAt) {
}
