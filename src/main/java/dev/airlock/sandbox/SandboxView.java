package dev.airlock.sandbox;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A sandbox as clients and other modules see it: no container internals, never env
 * values. {@code source} is {@code COLD} (its own container) or {@code POOL} (a claimed
 * pool member).
 */
public record SandboxView(String id, String tenant, SandboxStatus status, String image, String policy,
		int policyVersion, Map<String, String> labels, Resources resources, Instant createdAt,
		@Nullable Instant startedAt, Instant expiresAt, @Nullable Instant lastActivityAt, @Nullable Instant endedAt,
		@Nullable String endReason, @Nullable String endDetail, String source) {

	/** The CPU and memory the sandbox was given. */
	public record Resources(double cpus, int memoryMb) {
	}
}
