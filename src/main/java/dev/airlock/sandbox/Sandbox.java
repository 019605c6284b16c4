package dev.airlock.sandbox;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.MapKeyColumn;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Persistable;

/**
 * A sandbox row: written as CREATING before any container exists, kept after it is gone.
 * Env is never stored.
 */
@Entity
@Table(name = "sandboxes")
class Sandbox implements Persistable<String> {

	@Id
	private String id;

	/**
	 * Until saved: the id is Airlock's own, so without this a save would first look for
	 * the row to merge into (a query on every create).
	 */
	@Transient
	private boolean fresh = true;

	private String tenant;

	@Enumerated(EnumType.STRING)
	private SandboxStatus status;

	private String image;

	private String policyName;

	private int policyVersion;

	private double cpus;

	private int memoryMb;

	private String[] command;

	private String workdir;

	private int ttlSeconds;

	private int idleTimeoutSeconds;

	@Enumerated(EnumType.STRING)
	private SandboxStatus endingStatus;

	private String containerId;

	/** The engine it runs on; null on rows from before engines were recorded. */
	private @Nullable String engineId;

	private String createdBy;

	private Instant createdAt;

	private Instant startedAt;

	private Instant expiresAt;

	private Instant lastActivityAt;

	private Instant endedAt;

	/** An EndReason's name, read as text: a reason a newer version wrote still loads. */
	private @Nullable String endReason;

	private String endDetail;

	/** COLD (its own container) or POOL (a claimed pool member). */
	private String source = "COLD";

	@ElementCollection(fetch = FetchType.EAGER)
	@CollectionTable(name = "sandbox_labels", joinColumns = @JoinColumn(name = "sandbox_id"))
	@MapKeyColumn(name = "label_key")
	@Column(name = "label_value")
	private Map<String, String> labels = new HashMap<>();

	protected Sandbox() {
	}

	Sandbox(String id, String tenant, String image, String policyName, int policyVersion, double cpus, int memoryMb,
			List<String> command, @Nullable String workdir, int ttlSeconds, int idleTimeoutSeconds,
			Map<String, String> labels, String createdBy, @Nullable String engineId, Instant now) {
		this.id = id;
		this.engineId = engineId;
		this.tenant = tenant;
		this.status = SandboxStatus.CREATING;
		this.image = image;
		this.policyName = policyName;
		this.policyVersion = policyVersion;
		this.cpus = cpus;
		this.memoryMb = memoryMb;
		this.command = command.toArray(String[]::new);
		this.workdir = workdir;
		this.ttlSeconds = ttlSeconds;
		this.idleTimeoutSeconds = idleTimeoutSeconds;
		this.labels = new HashMap<>(labels);
		this.createdBy = createdBy;
		this.createdAt = now;
		this.expiresAt = now.plusSeconds(ttlSeconds);
	}

	/** The container runs (on {@code engineId}): the TTL counts from now. */
	void markRunning(String containerId, @Nullable String engineId, Instant now) {
		if (this.engineId == null) {
			this.engineId = engineId;
		}
		this.status = SandboxStatus.RUNNING;
		this.containerId = containerId;
		this.startedAt = now;
		this.lastActivityAt = now;
		this.expiresAt = now.plusSeconds(ttlSeconds);
	}

	/**
	 * The container is being removed; {@code outcome} is applied once it is gone (by
	 * whoever gets there).
	 */
	void markStopping(SandboxStatus outcome, EndReason reason, @Nullable String detail) {
		if (!outcome.isTerminal()) {
			throw new IllegalArgumentException(outcome + " is not terminal");
		}
		this.status = SandboxStatus.STOPPING;
		this.endingStatus = outcome;
		this.endReason = reason.name();
		this.endDetail = cut(detail);
	}

	/** The container is gone: the recorded outcome becomes the status. */
	void finishStopping(Instant now) {
		this.status = endingStatus != null ? endingStatus : SandboxStatus.TERMINATED;
		this.endingStatus = null;
		this.endedAt = now;
	}

	/** A new lease: expires at {@code now + ttlSeconds}. */
	void extend(int ttlSeconds, Instant now) {
		this.expiresAt = now.plusSeconds(ttlSeconds);
	}

	void end(SandboxStatus terminal, EndReason reason, @Nullable String detail, Instant now) {
		if (!terminal.isTerminal()) {
			throw new IllegalArgumentException(terminal + " is not terminal");
		}
		this.status = terminal;
		this.endReason = reason.name();
		this.endDetail = cut(detail);
		this.endedAt = now;
	}

	private static @Nullable String cut(@Nullable String detail) {
		return detail == null ? null : detail.substring(0, Math.min(detail.length(), 2000));
	}

	@PostLoad
	@PostPersist
	void stored() {
		this.fresh = false;
	}

	@Override
	public String getId() {
		return id;
	}

	@Override
	public boolean isNew() {
		return fresh;
	}

	String id() {
		return id;
	}

	String tenant() {
		return tenant;
	}

	SandboxStatus status() {
		return status;
	}

	/**
	 * This sandbox is a claimed pool member: its container was started before the create.
	 */
	Sandbox fromPool() {
		this.source = "POOL";
		return this;
	}

	SandboxView toView() {
		return new SandboxView(id, tenant, status, image, policyName, policyVersion, Map.copyOf(labels),
				new SandboxView.Resources(cpus, memoryMb), createdAt, startedAt, expiresAt, lastActivityAt, endedAt,
				endReason, endDetail, source);
	}

}
