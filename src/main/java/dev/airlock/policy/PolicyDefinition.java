package dev.airlock.policy;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * What a client sends to create or replace a policy. Every field but {@code name} is
 * optional; a missing field takes the safe default (the values of the seeded
 * {@code default} policy).
 */
@Schema(name = "PolicyRequest")
public record PolicyDefinition(
		@Nullable @Pattern(regexp = NAME,
				message = "must be 1-63 lowercase letters, digits or '-', starting with a letter or digit") String name,
		@Nullable @Size(max = 1000) String description,
		@Nullable @Size(min = 1,
				max = 100) List<@NotBlank @Size(max = 255) @Pattern(regexp = IMAGE_GLOB,
						message = "must be an image reference, '*' and '?' allowed") String> allowedImages,
		@Nullable @Positive @Max(MAX_TTL_SECONDS) Integer defaultTtlSeconds,
		@Nullable @Positive @Max(MAX_TTL_SECONDS) Integer maxTtlSeconds,
		@Nullable @Positive @Max(MAX_TTL_SECONDS) Integer idleTimeoutSeconds,
		@Nullable @DecimalMin("0.01") @DecimalMax("64") Double cpus, @Nullable @Min(6) @Max(262144) Integer memoryMb,
		@Nullable @Min(8) @Max(65536) Integer pidsLimit, @Nullable @Min(1) @Max(65536) Integer diskMb,
		@Nullable NetworkMode network, @Nullable @Size(max = MAX_EGRESS_RULES) List<@NotBlank String> egressAllowlist,
		@Nullable Boolean readOnlyRootfs,
		@Nullable @Size(min = 1, max = 8) List<@NotBlank @Size(max = 255) String> writablePaths,
		@Nullable @Pattern(regexp = "[1-9][0-9]{0,9}:[0-9]{1,10}",
				message = "must be 'uid:gid' with a non-root uid") String runAsUser,
		@Nullable @Positive @Max(86400) Integer maxExecSeconds,
		@Nullable @Positive @Max(64L * 1024 * 1024) Long maxOutputBytes,
		@Nullable @Positive @Max(4L * 1024 * 1024 * 1024) Long maxUploadBytes,
		@Nullable @Size(max = 50) List<@NotBlank @Size(max = 500) String> deniedCommandPatterns,
		@Nullable Boolean killOnDeniedCommand, @Nullable @Positive @Max(MAX_TTL_SECONDS) Integer cpuBudgetSeconds,
		@Nullable @Positive @Max(10000) Integer maxSandboxesPerTenant,
		@Nullable @Pattern(regexp = "[a-z0-9][a-z0-9._-]{0,31}") String runtime,
		@Nullable @Size(max = 500) List<@NotBlank @Pattern(regexp = TENANT,
				message = "must be a tenant name: 1-63 letters, digits, '.', '_' or '-'") String> tenants) {

	public static final String NAME = "[a-z0-9][a-z0-9-]{0,62}";
	static final String TENANT = "[A-Za-z0-9][A-Za-z0-9._-]{0,62}";
	static final String IMAGE_GLOB = "[A-Za-z0-9*?][A-Za-z0-9._/:@*?-]*";
	static final int MAX_TTL_SECONDS = 30 * 24 * 3600;
	static final int MAX_EGRESS_RULES = 100;

	/** The seeded default policy's values; kept in step with {@code V1__policies.sql}. */
	static final PolicyDefinition DEFAULTS = new PolicyDefinition(null, null,
			List.of("python:*", "busybox:*", "node:*", "alpine:*", "debian:*", "ubuntu:*"), 900, 3600, 600, 1.0, 512,
			128, 512, NetworkMode.NONE, List.of(), true, List.of("/workspace", "/tmp"), "1000:1000", 300, 1048576L,
			67108864L, List.of(), false, null, 20, "runc", List.of());

	/** This definition with every missing field taken from {@link #DEFAULTS}. */
	PolicyDefinition withDefaults() {
		var d = DEFAULTS;
		return new PolicyDefinition(name, description, or(allowedImages, d.allowedImages),
				or(defaultTtlSeconds, d.defaultTtlSeconds), or(maxTtlSeconds, d.maxTtlSeconds),
				or(idleTimeoutSeconds, d.idleTimeoutSeconds), or(cpus, d.cpus), or(memoryMb, d.memoryMb),
				or(pidsLimit, d.pidsLimit), or(diskMb, d.diskMb), or(network, d.network),
				or(egressAllowlist, d.egressAllowlist), or(readOnlyRootfs, d.readOnlyRootfs),
				or(writablePaths, d.writablePaths), or(runAsUser, d.runAsUser), or(maxExecSeconds, d.maxExecSeconds),
				or(maxOutputBytes, d.maxOutputBytes), or(maxUploadBytes, d.maxUploadBytes),
				or(deniedCommandPatterns, d.deniedCommandPatterns), or(killOnDeniedCommand, d.killOnDeniedCommand),
				cpuBudgetSeconds, or(maxSandboxesPerTenant, d.maxSandboxesPerTenant), or(runtime, d.runtime),
				or(tenants, d.tenants));
	}

	private static <T> T or(@Nullable T value, T fallback) {
		return value != null ? value : fallback;
	}
}
