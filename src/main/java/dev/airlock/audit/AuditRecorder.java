package dev.airlock.audit;

import dev.airlock.egress.EgressTallied;
import dev.airlock.enforcement.events.HaltChanged;
import dev.airlock.exec.ExecEvents.ExecDenied;
import dev.airlock.exec.ExecEvents.ExecFinished;
import dev.airlock.exec.ExecEvents.ExecStarted;
import dev.airlock.files.FileEvents.FileDeleted;
import dev.airlock.files.FileEvents.FileRead;
import dev.airlock.files.FileEvents.FileWritten;
import dev.airlock.policy.PolicyChanged;
import dev.airlock.pool.PoolChanged;
import dev.airlock.sandbox.EndReason;
import dev.airlock.sandbox.SandboxEvents.SandboxCreated;
import dev.airlock.sandbox.SandboxEvents.SandboxEnded;
import dev.airlock.sandbox.SandboxEvents.SandboxExtended;
import dev.airlock.sandbox.SandboxEvents.SandboxStartFailed;
import dev.airlock.security.SecurityEvents.ApiKeyCreated;
import dev.airlock.security.SecurityEvents.ApiKeyRevoked;
import dev.airlock.security.SecurityEvents.AuthFailed;
import dev.airlock.tenant.QuotaUpdated;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

import static dev.airlock.audit.AuditBounds.argv;
import static dev.airlock.audit.AuditBounds.text;

/**
 * Writes every event the other modules publish into the chain, synchronously, inside the
 * publisher's transaction where there is one: the record and the change commit together.
 * Data carries argv, exit codes, sizes, hashes, paths, versions and reasons, each free
 * text within {@link AuditBounds}; never env values, file contents, output or secrets
 * (the events do not have them).
 */
@Component
class AuditRecorder {

	static final String SYSTEM = "system";
	static final String ANONYMOUS = "anonymous";

	private final AuditLog log;

	AuditRecorder(AuditLog log) {
		this.log = log;
	}

	@EventListener
	void on(SandboxCreated e) {
		log.append("SANDBOX_CREATED", e.tenant(), e.actor(), e.sandboxId(),
				text(text(data(), "image", e.image()), "policy", e.policy()).put("policyVersion", e.policyVersion())
					.put("source", e.source()));
	}

	@EventListener
	void on(SandboxStartFailed e) {
		log.append("SANDBOX_START_FAILED", e.tenant(), e.actor(), e.sandboxId(),
				text(data().put("reason", e.reason().name()), "detail", e.detail()));
	}

	@EventListener
	void on(SandboxEnded e) {
		var type = switch (e.status()) {
			case TERMINATED -> EndReason.DELETED.name().equals(e.reason()) ? "SANDBOX_DELETED" : "SANDBOX_EXITED";
			case EXPIRED -> "SANDBOX_EXPIRED";
			case KILLED -> "SANDBOX_KILLED";
			case LOST -> "SANDBOX_LOST";
			default -> "SANDBOX_START_FAILED";
		};
		log.append(type, e.tenant(), e.actor(), e.sandboxId(),
				text(text(data().put("status", e.status().name()), "reason", e.reason()), "detail", e.detail()));
	}

	@EventListener
	void on(SandboxExtended e) {
		log.append("TTL_EXTENDED", e.tenant(), e.actor(), e.sandboxId(),
				data().put("expiresAt", e.expiresAt().toString()));
	}

	@EventListener
	void on(ExecStarted e) {
		log.append("EXEC_STARTED", e.tenant(), e.actor(), e.sandboxId(), argv(data(), "command", e.command()));
	}

	@EventListener
	void on(ExecFinished e) {
		var data = data().put("exitCode", e.exitCode())
			.put("durationMs", e.durationMs())
			.put("timedOut", e.timedOut())
			.put("cancelled", e.cancelled())
			.put("stdoutBytes", e.stdoutBytes())
			.put("stderrBytes", e.stderrBytes());
		log.append("EXEC_FINISHED", e.tenant(), e.actor(), e.sandboxId(), argv(data, "command", e.command()));
	}

	@EventListener
	void on(ExecDenied e) {
		var data = text(data(), "pattern", e.pattern()).put("killSandbox", e.killSandbox());
		log.append("EXEC_DENIED", e.tenant(), e.actor(), e.sandboxId(), argv(data, "command", e.command()));
	}

	@EventListener
	void on(FileWritten e) {
		log.append("FILE_WRITTEN", e.tenant(), e.actor(), e.sandboxId(),
				text(data(), "path", e.path()).put("size", e.size()).put("sha256", e.sha256()));
	}

	@EventListener
	void on(FileRead e) {
		var data = text(data(), "path", e.path()).put("size", e.size())
			.put("bytes", e.bytes())
			.put("complete", e.complete());
		if (e.sha256() != null) {
			data.put("sha256", e.sha256());
		}
		log.append("FILE_READ", e.tenant(), e.actor(), e.sandboxId(), data);
	}

	@EventListener
	void on(FileDeleted e) {
		log.append("FILE_DELETED", e.tenant(), e.actor(), e.sandboxId(), text(data(), "path", e.path()));
	}

	@EventListener
	void on(PolicyChanged e) {
		log.append("POLICY_" + e.change().name(), null, e.actor(), null,
				text(data(), "name", e.name()).put("version", e.version()));
	}

	@EventListener
	void on(ApiKeyCreated e) {
		log.append("API_KEY_CREATED", e.tenant(), e.actor(), null,
				text(data().put("keyId", e.keyId()).put("role", e.role().name()), "name", e.name()));
	}

	@EventListener
	void on(ApiKeyRevoked e) {
		log.append("API_KEY_REVOKED", e.tenant(), e.actor(), null, data().put("keyId", e.keyId()));
	}

	@EventListener
	void on(AuthFailed e) {
		log.append("AUTH_FAILED", null, ANONYMOUS, null,
				text(text(data(), "remoteAddress", e.remoteAddress()).put("failures", e.failures()), "path", e.path()));
	}

	@EventListener
	void on(HaltChanged e) {
		log.append(e.active() ? "HALT_ACTIVATED" : "HALT_LIFTED", e.tenant(), e.actor(), null,
				text(data(), "reason", e.reason()));
	}

	@EventListener
	void on(EgressTallied e) {
		var data = text(data(), "destination", e.destination()).put("port", e.port())
			.put("count", e.count())
			.put("minute", e.minute().toString());
		log.append("EGRESS_" + e.decision().name(), e.tenant(), SYSTEM, e.sandboxId(), data);
	}

	private static ObjectNode data() {
		return AuditChain.JSON.createObjectNode();
	}

	@EventListener
	void on(QuotaUpdated e) {
		log.append("QUOTA_UPDATED", e.quota().tenant(), e.actor(), null,
				data().put("maxSandboxes", e.quota().maxSandboxes())
					.put("maxConcurrentUploads", e.quota().maxConcurrentUploads()));
	}

	@EventListener
	void on(PoolChanged e) {
		var data = text(text(data(), "name", e.pool().name()), "policy", e.pool().policy());
		log.append("POOL_" + e.change().name(), null, e.actor(), null,
				text(data, "image", e.pool().image()).put("size", e.pool().size()));
	}

}
