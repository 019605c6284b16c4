package dev.airlock.policy;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/** One version of a policy, as clients and other modules see it. */
public record PolicyView(String name, int version, @Nullable String description, List<String> allowedImages,
		int defaultTtlSeconds, int maxTtlSeconds, int idleTimeoutSeconds, double cpus, int memoryMb, int pidsLimit,
		int diskMb, NetworkMode network, List<String> egressAllowlist, boolean readOnlyRootfs,
		List<String> writablePaths, String runAsUser, int maxExecSeconds, long maxOutputBytes, long maxUploadBytes,
		List<String> deniedCommandPatterns, boolean killOnDeniedCommand, @Nullable Integer cpuBudgetSeconds,
		int maxSandboxesPerTenant, String runtime, List<String> tenants, Instant createdAt, boolean deleted) {

	/**
	 * The destinations a sandbox under this version may reach through the egress gateway:
	 * none with network {@code NONE}, any public one with {@code BRIDGE}.
	 */
	public List<EgressRule> egressRules() {
		return switch (network) {
			case NONE -> List.of();
			case BRIDGE -> List.of(EgressRule.parse("*"));
			case EGRESS -> egressAllowlist.stream().map(EgressRule::parse).toList();
		};
	}

	/**
	 * Whether {@code tenant} may create sandboxes under this policy: an empty list grants
	 * everyone.
	 */
	public boolean grants(String tenant) {
		return tenants.isEmpty() || tenants.contains(tenant);
	}

	/**
	 * This view as a caller of {@code tenant} who sees no other tenant may read it: of
	 * the grant, only its own tenant when granted by name, never the names of the others.
	 */
	public PolicyView seenBy(String tenant) {
		var shown = tenants.contains(tenant) ? List.of(tenant) : List.<String>of();
		return new PolicyView(name, version, description, allowedImages, defaultTtlSeconds, maxTtlSeconds,
				idleTimeoutSeconds, cpus, memoryMb, pidsLimit, diskMb, network, egressAllowlist, readOnlyRootfs,
				writablePaths, runAsUser, maxExecSeconds, maxOutputBytes, maxUploadBytes, deniedCommandPatterns,
				killOnDeniedCommand, cpuBudgetSeconds, maxSandboxesPerTenant, runtime, shown, createdAt, deleted);
	}

}
