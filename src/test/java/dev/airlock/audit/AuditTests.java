package dev.airlock.audit;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;

import dev.airlock.IntegrationTestSupport;
import dev.airlock.OwnerDatabase;
import dev.airlock.policy.PolicyDefinition;
import dev.airlock.policy.PolicyService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The tamper-evident audit log: every event type from real flows, the chain, the
 * database's refusals, export.
 */
class AuditTests extends IntegrationTestSupport {

	@Autowired
	AuditLog audit;

	@Autowired
	PolicyService policies;

	@Autowired
	PlatformTransactionManager transactions;

	@AfterEach
	void liftTheDrillsHalt() {
		api.delete("/v1/admin/halt?tenant=audit-halt");
	}

	List<String> typesFor(String sandboxId) {
		var types = new ArrayList<String>();
		api.get("/v1/audit-events?size=500&sandboxId=" + sandboxId)
			.json()
			.get("items")
			.forEach(e -> types.add(e.get("type").asString()));
		return types;
	}

	@Test
	void everyEventTypeIsRecordedFromARealFlow() throws Exception {
		var start = Instant.now().minusSeconds(1);
		var policyName = newPolicy(Map.of("deniedCommandPatterns", List.of("^forbidden")));
		api.put("/v1/policies/" + policyName,
				Map.of("allowedImages", List.of("busybox:*"), "deniedCommandPatterns", List.of("^forbidden")));
		var id = sandbox(Map.of("policy", policyName, "env", Map.of("SECRET", "env-secret-value")));
		exec(id, Map.of("command", List.of("sh", "-c", "echo out$((40+2))put")));
		exec(id, Map.of("command", List.of("forbidden")));
		api.put("/v1/sandboxes/" + id + "/files/content?path=/workspace/a", "file-secret-content");
		api.get("/v1/sandboxes/" + id + "/files/content?path=/workspace/a");
		api.delete("/v1/sandboxes/" + id + "/files?path=/workspace/a");
		api.post("/v1/sandboxes/" + id + "/timeout", Map.of("ttlSeconds", 60));
		api.delete("/v1/sandboxes/" + id);
		var failed = api.createSandbox(Map.of("image", IMAGE, "workdir", "/bin/busybox"))
			.json()
			.get("sandboxId")
			.asString();
		var key = api.post("/v1/api-keys", Map.of("tenant", "audit-t", "role", "AGENT", "name", "k")).json();
		api.delete("/v1/api-keys/" + key.get("id").asString());
		api.send("GET", "/v1/sandboxes", null, "alk_not-a-key-" + UUID.randomUUID());
		api.delete("/v1/policies/" + policyName);
		api.post("/v1/admin/halt", Map.of("tenant", "audit-halt", "reason", "drill"));
		api.delete("/v1/admin/halt?tenant=audit-halt");

		assertThat(typesFor(id)).containsSubsequence("SANDBOX_CREATED", "EXEC_STARTED", "EXEC_FINISHED", "EXEC_DENIED",
				"FILE_WRITTEN", "FILE_READ", "FILE_DELETED", "TTL_EXTENDED", "SANDBOX_DELETED");
		assertThat(typesFor(failed)).containsExactly("SANDBOX_START_FAILED");
		for (var type : List.of("POLICY_CREATED", "POLICY_UPDATED", "POLICY_DELETED", "API_KEY_CREATED",
				"API_KEY_REVOKED", "HALT_ACTIVATED", "HALT_LIFTED")) {
			var recorded = api.get("/v1/audit-events?type=" + type + "&since=" + start)
				.json()
				.get("totalItems")
				.asLong();
			assertThat(recorded).as(type).isPositive();
		}
		// throttled per address: the bad key above may be folded into an earlier event's
		// count
		assertThat(api.get("/v1/audit-events?type=AUTH_FAILED").json().get("totalItems").asLong()).isPositive();

		var everything = api.get("/v1/audit-events?size=500&sandboxId=" + id).body();
		assertThat(everything).doesNotContain("env-secret-value", "out42put", "file-secret-content")
			.contains("\"actor\":\"key:ak_bootstrap\"");
		var finished = api.get("/v1/audit-events?type=EXEC_FINISHED&sandboxId=" + id).json().get("items").get(0);
		assertThat(finished.get("data").get("command").get(0).asString()).isEqualTo("sh");
		assertThat(finished.get("data").get("exitCode").asInt()).isZero();
		assertThat(finished.get("data").get("stdoutBytes").asLong()).isEqualTo("out42put\n".length());
		assertThat(finished.get("tenant").asString()).isEqualTo("admin");
		assertThat(finished.get("hash").asString()).hasSize(64);
		assertThat(api.get("/v1/audit-events/verify").json().get("valid").asBoolean()).isTrue();
	}

	@Test
	void anEventCommitsWithItsStateChangeOrNotAtAll() {
		var tx = new TransactionTemplate(transactions);
		var kept = uniqueName("kept");
		var rolledBack = uniqueName("gone");

		tx.executeWithoutResult(status -> policies.create(definition(kept), "key:test"));
		assertThatThrownBy(() -> tx.executeWithoutResult(status -> {
			policies.create(definition(rolledBack), "key:test");
			throw new IllegalStateException("the service dies before the response");
		})).isInstanceOf(IllegalStateException.class);

		assertThat(countPolicyEvents(kept)).isEqualTo(1);
		assertThat(countPolicyEvents(rolledBack)).isZero();
		assertThat(api.get("/v1/policies/" + rolledBack).status()).isEqualTo(404);
	}

	long countPolicyEvents(String name) {
		return jdbc.queryForObject("select count(*) from audit_events where type = 'POLICY_CREATED' and data like ?",
				Long.class, "%\"name\":\"" + name + "\"%");
	}

	static PolicyDefinition definition(String name) {
		return new PolicyDefinition(name, null, null, null, null, null, null, null, null, null, null, null, null, null,
				null, null, null, null, null, null, null, null, null, null);
	}

	@Test
	void concurrentWritersNeverForkTheChain() throws Exception {
		try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int i = 0; i < 40; i++) {
				pool.submit(() -> audit.append("TEST_EVENT", "t", "key:test", null,
						AuditChain.JSON.createObjectNode().put("n", UUID.randomUUID().toString())));
			}
		}
		var verification = audit.verify();
		assertThat(verification.valid()).isTrue();
		var gaps = jdbc.queryForObject("select max(seq) - count(*) from audit_events", Long.class);
		assertThat(gaps).isZero();
		assertThat(jdbc.queryForObject("select count(distinct prev_hash) - count(*) from audit_events", Long.class))
			.isZero();
	}

	@Test
	void theDatabaseRefusesUpdateDeleteAndTruncate() {
		audit.append("TEST_EVENT", null, "key:test", null, AuditChain.JSON.createObjectNode());
		var statements = List.of("update audit_events set actor = 'someone-else'", "delete from audit_events",
				"truncate audit_events");
		// the service's own role: no such privilege (where it has a role of its own), or
		// the triggers
		for (var statement : statements) {
			assertThatThrownBy(() -> jdbc.execute(statement)).as(statement)
				.satisfies(e -> assertThat(NestedExceptionUtils.getMostSpecificCause(e).getMessage())
					.containsAnyOf("permission denied", "append-only"));
		}
		// even the owner of the table: the triggers
		var owner = OwnerDatabase.jdbc(database);
		for (var statement : statements) {
			assertThatThrownBy(() -> owner.execute(statement)).as("owner: " + statement)
				.satisfies(e -> assertThat(NestedExceptionUtils.getMostSpecificCause(e).getMessage())
					.contains("append-only"));
		}
		assertThat(jdbc.queryForObject("select count(*) from audit_events", Long.class)).isPositive();
	}

	@Test
	void verificationFindsTheFirstEditedDeletedOrReorderedEvent() {
		for (int i = 0; i < 5; i++) {
			audit.append("TEST_EVENT", "t", "key:test", null, AuditChain.JSON.createObjectNode().put("i", i));
		}
		var head = jdbc.queryForObject("select max(seq) from audit_events", Long.class);
		assertThat(audit.verify().valid()).isTrue();

		tamper("update audit_events set actor = 'key:forged' where seq = " + (head - 3));
		assertThat(audit.verify().firstBrokenSeq()).isEqualTo(head - 3);
		tamper("update audit_events set actor = 'key:test' where seq = " + (head - 3));
		assertThat(audit.verify().valid()).isTrue();

		tamper("""
				update audit_events set seq = -1 where seq = %d;
				update audit_events set seq = %d where seq = %d;
				update audit_events set seq = %d where seq = -1""".formatted(head - 2, head - 2, head - 1, head - 1));
		assertThat(audit.verify().firstBrokenSeq()).isEqualTo(head - 2);
		tamper("""
				update audit_events set seq = -1 where seq = %d;
				update audit_events set seq = %d where seq = %d;
				update audit_events set seq = %d where seq = -1""".formatted(head - 2, head - 2, head - 1, head - 1));
		assertThat(audit.verify().valid()).isTrue();

		var removed = jdbc.queryForMap("select * from audit_events where seq = ?", head - 1);
		tamper("delete from audit_events where seq = " + (head - 1));
		var afterDelete = api.get("/v1/audit-events/verify").json();
		assertThat(afterDelete.get("valid").asBoolean()).isFalse();
		assertThat(afterDelete.get("firstBrokenSeq").asLong()).isEqualTo(head - 1);

		// the link put back exactly as it was: the chain holds again (for the tests that
		// follow too)
		jdbc.update(
				"insert into audit_events (seq, at, tenant, actor, type, sandbox_id, data, prev_hash, hash) "
						+ "values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
				removed.get("seq"), removed.get("at"), removed.get("tenant"), removed.get("actor"), removed.get("type"),
				removed.get("sandbox_id"), removed.get("data"), removed.get("prev_hash"), removed.get("hash"));
		assertThat(audit.verify().valid()).isTrue();
	}

	@Test
	void anExportVerifiesOfflineAndATamperedOneDoesNot() throws Exception {
		newPolicy(Map.of());
		var export = api.get("/v1/audit-events/export");
		assertThat(export.status()).isEqualTo(200);
		assertThat(export.contentType()).startsWith("application/x-ndjson");
		var lines = export.body().split("\n");
		assertThat(lines[lines.length - 1]).startsWith("{\"manifest\":");
		var file = Files.createTempFile("audit-", ".ndjson");
		Files.writeString(file, export.body());
		var out = new ByteArrayOutputStream();

		assertThat(AuditFileVerifier.run(file.toString(), new PrintStream(out))).isZero();
		assertThat(out.toString()).startsWith("OK: " + (lines.length - 1) + " events");

		var tampered = export.body().replaceFirst("\"actor\":\"key:ak_bootstrap\"", "\"actor\":\"key:someone\"");
		Files.writeString(file, tampered);
		out.reset();
		assertThat(AuditFileVerifier.run(file.toString(), new PrintStream(out))).isEqualTo(1);
		assertThat(out.toString()).contains("BROKEN at seq");

		Files.writeString(file, String.join("\n", Arrays.copyOf(lines, lines.length - 1)));
		out.reset();
		assertThat(AuditFileVerifier.run(file.toString(), new PrintStream(out))).isEqualTo(1);
		assertThat(out.toString()).contains("no manifest");
		Files.delete(file);
	}

	@Test
	void anAgentSeesOnlyItsOwnTenantsEvents() {
		var key = api.post("/v1/api-keys", Map.of("tenant", "audit-agent", "role", "AGENT", "name", "k"))
			.json()
			.get("key")
			.asString();
		api.send("POST", "/v1/sandboxes", Map.of("image", IMAGE), key);

		var mine = api.send("GET", "/v1/audit-events?size=500", null, key).json();
		assertThat(mine.get("items")).isNotEmpty()
			.allSatisfy(e -> assertThat(e.get("tenant").asString()).isEqualTo("audit-agent"));
		assertThat(api.send("GET", "/v1/audit-events?tenant=admin", null, key).json().get("totalItems").asLong())
			.isZero();
		assertThat(api.send("GET", "/v1/audit-events/verify", null, key).status()).isEqualTo(403);
		assertThat(api.send("GET", "/v1/audit-events/export", null, key).status()).isEqualTo(403);
		api.get("/v1/sandboxes?tenant=audit-agent")
			.json()
			.get("items")
			.forEach(s -> api.delete("/v1/sandboxes/" + s.get("id").asString()));
	}

	/**
	 * Tampering as an attacker with the table owner's rights would: the triggers switched
	 * off for the moment.
	 */
	void tamper(String sql) {
		var owner = OwnerDatabase.jdbc(database);
		owner.execute("alter table audit_events disable trigger user");
		try {
			for (var statement : sql.split(";")) {
				owner.execute(statement);
			}
		}
		finally {
			owner.execute("alter table audit_events enable trigger user");
		}
	}

}
