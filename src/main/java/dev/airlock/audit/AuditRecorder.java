package dev.airlock.audit;

import java.util.List;

import dev.airlock.enforcement.events.HaltChanged;
import dev.airlock.exec.ExecEvents.ExecDenied;
import dev.airlock.exec.ExecEvents.ExecFinished;
import dev.airlock.exec.ExecEvents.ExecStarted;
import dev.airlock.files.FileEvents.FileDeleted;
import dev.airlock.files.FileEvents.FileRead;
import dev.airlock.files.FileEvents.FileWritten;
import dev.airlock.policy.PolicyChanged;
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

/**
 * Writes every event the other modules publish into the chain, synchronously, inside the
 * publisher's transaction where there is one: the record and the change commit together.
 * Data carries argv, exit codes, sizes, hashes, paths, versions and reasons; never env
 * values, file contents, output or secrets (the events do not have them).
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
				data().put("image", e.image()).put("policy", e.policy()).put("policyVersion", e.policyVersion()));
	}

	@EventListener
	void on(SandboxStartFailed e) {
		log.append("SANDBOX_START_FAILED", e.tenant(), e.actor(), e.sandboxId(),
				data().put("reason", e.reason().name()).put("detail", e.detail()));
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
				data().put("status", e.status().name()).put("reason", e.reason()).put("detail", e.detail()));
	}

	@EventListener
	void on(SandboxExtended e) {
		log.append("TTL_EXTENDED", e.tenant(), e.actor(), e.sandboxId(),
				data().put("expiresAt", e.expiresAt().toString()));
	}

	@EventListener
	void on(ExecStarted e) {
		var data = data();
		command(data, e.command());
		log.append("EXEC_STARTED", e.tenant(), e.actor(), e.sandboxId(), data);
	}

	@EventListener
	void on(ExecFinished e) {
		var data = data().put("exitCode", e.exitCode())
			.put("durationMs", e.durationMs())
			.put("timedOut", e.timedOut())
			.put("cancelled", e.cancelled())
			.put("stdoutBytes", e.stdoutBytes())
			.put("stderrBytes", e.stderrBytes());
		command(data, e.command());
		log.append("EXEC_FINISHED", e.tenant(), e.actor(), e.sandboxId(), data);
	}

	@EventListener
	void on(ExecDenied e) {
		var data = data().put("pattern", e.pattern()).put("killSandbox", e.killSandbox());
		command(data, e.command());
		log.append("EXEC_DENIED", e.tenant(), e.actor(), e.sandboxId(), data);
	}

	@EventListener
	void on(FileWritten e) {
		log.append("FILE_WRITTEN", e.tenant(), e.actor(), e.sandboxId(),
				data().put("path", e.path()).put("size", e.size()).put("sha256", e.sha256()));
	}

	@EventListener
	void on(FileRead e) {
		log.append("FILE_READ", e.tenant(), e.actor(), e.sandboxId(),
				data().put("path", e.path()).put("size", e.size()).put("sha256", e.sha256()));
	}

	@EventListener
	void on(FileDeleted e) {
		log.append("FILE_DELETED", e.tenant(), e.actor(), e.sandboxId(), data().put("path", e.path()));
	}

	@EventListener
	void on(PolicyChanged e) {
		log.append("POLICY_" + e.change().name(), null, e.actor(), null,
				data().put("name", e.name()).put("version", e.version()));
	}

	@EventListener
	void on(ApiKeyCreated e) {
		log.append("API_KEY_CREATED", e.tenant(), e.actor(), null,
				data().put("keyId", e.keyId()).put("role", e.role().name()).put("name", e.name()));
	}

	@EventListener
	void on(ApiKeyRevoked e) {
		log.append("API_KEY_REVOKED", e.tenant(), e.actor(), null, data().put("keyId", e.keyId()));
	}

	@EventListener
	void on(AuthFailed e) {
		log.append("AUTH_FAILED", null, ANONYMOUS, null,
				data().put("remoteAddress", e.remoteAddress()).put("failures", e.failures()).put("path", e.path()));
	}

	@EventListener
	void on(HaltChanged e) {
		log.append(e.active() ? "HALT_ACTIVATED" : "HALT_LIFTED", e.tenant(), e.actor(), null,
				data().put("reason", e.reason()));
	}

	private static void command(ObjectNode data, List<String> command) {
		var array = data.putArray("command");
		command.forEach(array::add);
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

}
