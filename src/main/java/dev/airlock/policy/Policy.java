package dev.airlock.policy;

import java.time.Instant;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One immutable version of a named policy; only {@code current} and {@code deleted} ever
 * change.
 */
@Entity
@Table(name = "policies")
class Policy {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	private String name;

	private int version;

	private boolean current;

	private boolean deleted;

	private String description;

	private String[] allowedImages;

	private int defaultTtlSeconds;

	private int maxTtlSeconds;

	private int idleTimeoutSeconds;

	private double cpus;

	private int memoryMb;

	private int pidsLimit;

	private int diskMb;

	@Enumerated(EnumType.STRING)
	private NetworkMode network;

	private String[] egressAllowlist;

	@Column(name = "read_only_rootfs")
	private boolean readOnlyRootfs;

	private String[] writablePaths;

	private String runAsUser;

	private int maxExecSeconds;

	private long maxOutputBytes;

	private long maxUploadBytes;

	private String[] deniedCommandPatterns;

	private boolean killOnDeniedCommand;

	private Integer cpuBudgetSeconds;

	private int maxSandboxesPerTenant;

	private String runtime;

	private String[] tenants;

	private Instant createdAt;

	private String createdBy;

	protected Policy() {
	}

	/** A new current version built from a complete (defaulted, validated) definition. */
	Policy(String name, int version, PolicyDefinition d, Instant createdAt, String createdBy) {
		this.name = name;
		this.version = version;
		this.current = true;
		this.description = d.description();
		this.allowedImages = d.allowedImages().toArray(String[]::new);
		this.defaultTtlSeconds = d.defaultTtlSeconds();
		this.maxTtlSeconds = d.maxTtlSeconds();
		this.idleTimeoutSeconds = d.idleTimeoutSeconds();
		this.cpus = d.cpus();
		this.memoryMb = d.memoryMb();
		this.pidsLimit = d.pidsLimit();
		this.diskMb = d.diskMb();
		this.network = d.network();
		// stored as each entry's canonical text, so equal rules read the same
		this.egressAllowlist = d.egressAllowlist()
			.stream()
			.map(entry -> EgressRule.parse(entry).toString())
			.distinct()
			.toArray(String[]::new);
		this.readOnlyRootfs = d.readOnlyRootfs();
		this.writablePaths = d.writablePaths().toArray(String[]::new);
		this.runAsUser = d.runAsUser();
		this.maxExecSeconds = d.maxExecSeconds();
		this.maxOutputBytes = d.maxOutputBytes();
		this.maxUploadBytes = d.maxUploadBytes();
		this.deniedCommandPatterns = d.deniedCommandPatterns().toArray(String[]::new);
		this.killOnDeniedCommand = d.killOnDeniedCommand();
		this.cpuBudgetSeconds = d.cpuBudgetSeconds();
		this.maxSandboxesPerTenant = d.maxSandboxesPerTenant();
		this.runtime = d.runtime();
		this.tenants = d.tenants().toArray(String[]::new);
		this.createdAt = createdAt;
		this.createdBy = createdBy;
	}

	/**
	 * This version stops being current; it stays readable for the sandboxes pinned to it.
	 */
	void retire() {
		this.current = false;
	}

	void markDeleted() {
		this.current = false;
		this.deleted = true;
	}

	String name() {
		return name;
	}

	int version() {
		return version;
	}

	PolicyView toView() {
		return new PolicyView(name, version, description, List.of(allowedImages), defaultTtlSeconds, maxTtlSeconds,
				idleTimeoutSeconds, cpus, memoryMb, pidsLimit, diskMb, network, List.of(egressAllowlist),
				readOnlyRootfs, List.of(writablePaths), runAsUser, maxExecSeconds, maxOutputBytes, maxUploadBytes,
				List.of(deniedCommandPatterns), killOnDeniedCommand, cpuBudgetSeconds, maxSandboxesPerTenant, runtime,
				List.of(tenants), createdAt, deleted);
	}

}
