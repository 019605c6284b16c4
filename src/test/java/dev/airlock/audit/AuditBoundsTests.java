package dev.airlock.audit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.airlock.IntegrationTestSupport;
import dev.airlock.core.SandboxPath;
import dev.airlock.core.Sha256;
import dev.airlock.sandbox.EndReason;
import dev.airlock.sandbox.SandboxEvents.SandboxStartFailed;
import dev.airlock.security.SecurityEvents.AuthFailed;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nobody can inflate the append-only log: each event's stored data stays within a few
 * KiB, measured in PostgreSQL, and what was cut can still be proven from its hash.
 */
class AuditBoundsTests extends IntegrationTestSupport {

	@Autowired
	AuditLog audit;

	@Autowired
	ApplicationEventPublisher publisher;

	@Test
	void theIssuesArgvOf240ArgumentsOf3800CharactersStoresAFewKibAndItsHashIsTheArgvThatRan() {
		var id = sandbox();
		var argv = new ArrayList<>(List.of("sh", "-c", "sha256sum /proc/$$/cmdline", "sh"));
		for (int i = 0; i < 240; i++) {
			argv.add(String.valueOf((char) ('a' + i % 26)).repeat(3800));
		}

		var result = exec(id, Map.of("command", argv));

		assertThat(result.status()).as(result.body()).isEqualTo(200);
		var expected = cmdlineSha256(argv);
		// the kernel's own record of the argv that ran hashes to the same
		assertThat(result.json().get("stdout").asString()).startsWith(expected + "  /proc/");
		var rows = rows(id, "EXEC_%");
		assertThat(rows).extracting(row -> row.get("type")).containsExactly("EXEC_STARTED", "EXEC_FINISHED");
		for (var row : rows) {
			assertThat((Integer) row.get("size")).as(row.get("type").toString())
				.isLessThanOrEqualTo(AuditBounds.MAX_DATA);
			var data = data(row);
			assertThat(data.get("commandSha256").asString()).isEqualTo(expected);
			assertThat(data.get("commandArgs").asInt()).isEqualTo(argv.size());
			assertThat(data.get("commandLength").asLong())
				.isEqualTo(argv.stream().mapToLong(a -> a.length() + 1).sum());
			assertThat(data.get("command").get(0).asString()).isEqualTo("sh");
			assertThat(data.get("command").get(4).asString()).startsWith("aaaa");
		}
		assertThat(api.get("/v1/audit-events/verify").json().get("valid").asBoolean()).isTrue();
	}

	@Test
	void aPathOfTheLongestLengthIsKeptAsAPreviewWithItsHash() {
		var id = sandbox();
		var longest = longestPath('d');
		assertThat(longest).hasSize(SandboxPath.MAX_LENGTH - 1).doesNotEndWith("/");

		assertThat(api.upload(id, longest, "x".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(201);
		assertThat(api.get("/v1/sandboxes/" + id + "/files/content?path=" + longest).status()).isEqualTo(200);
		assertThat(api.delete("/v1/sandboxes/" + id + "/files?path=" + longest).status()).isEqualTo(204);

		var rows = rows(id, "FILE_%");
		assertThat(rows).extracting(row -> row.get("type"))
			.containsExactly("FILE_WRITTEN", "FILE_READ", "FILE_DELETED");
		for (var row : rows) {
			assertThat((Integer) row.get("size")).isLessThanOrEqualTo(AuditBounds.WHOLE_TEXT + 256);
			var data = data(row);
			assertThat(longest).startsWith(data.get("path").asString());
			assertThat(data.get("pathSha256").asString()).isEqualTo(sha256(longest));
			assertThat(data.get("pathLength").asInt()).isEqualTo(longest.length());
		}
	}

	@Test
	void aHugeDetailOrRequestPathIsBoundedToo() {
		var id = "sbx_" + uniqueName("bounds");
		var detail = "docker said: " + "z".repeat(1024 * 1024);
		var address = uniqueName("10.0.0");
		var requestPath = "/v1/" + "p".repeat(8000);

		publisher.publishEvent(new SandboxStartFailed(id, "t", EndReason.SANDBOX_START_FAILED, detail, "key:test"));
		publisher.publishEvent(new AuthFailed(address, 1, requestPath));

		var failed = rows(id, "SANDBOX_START_FAILED").getFirst();
		assertThat((Integer) failed.get("size")).isLessThanOrEqualTo(AuditBounds.WHOLE_TEXT + 256);
		assertThat(data(failed).get("detailSha256").asString()).isEqualTo(sha256(detail));
		assertThat(data(failed).get("detailLength").asInt()).isEqualTo(detail.length());
		var authFailed = jdbc.queryForMap(
				"select octet_length(data) as size, data from audit_events where type = 'AUTH_FAILED' and data like ?",
				"%" + address + "%");
		assertThat((Integer) authFailed.get("size")).isLessThanOrEqualTo(AuditBounds.WHOLE_TEXT + 256);
		assertThat(data(authFailed).get("pathSha256").asString()).isEqualTo(sha256(requestPath));
	}

	@Test
	void anyEventsDataOverTheBoundIsStoredAsItsHashAndTheChainStillVerifies() {
		var data = AuditChain.JSON.createObjectNode();
		for (int i = 0; i < 100; i++) {
			data.put("field" + i, "v".repeat(1000));
		}

		var event = audit.append("TEST_EVENT", "t", "key:test", null, data);

		var size = jdbc.queryForObject("select octet_length(data) from audit_events where seq = ?", Integer.class,
				event.seq());
		assertThat(size).isLessThanOrEqualTo(AuditBounds.MAX_DATA);
		assertThat(event.data().get("oversized").asBoolean()).isTrue();
		assertThat(event.data().get("dataSha256").asString()).isEqualTo(sha256(CanonicalJson.of(data)));
		assertThat(audit.verify().valid()).isTrue();
	}

	List<Map<String, Object>> rows(String sandboxId, String typePattern) {
		return jdbc.queryForList("select type, octet_length(data) as size, data from audit_events "
				+ "where sandbox_id = ? and type like ? order by seq", sandboxId, typePattern);
	}

	static JsonNode data(Map<String, Object> row) {
		return AuditChain.JSON.readTree((String) row.get("data"));
	}

	/** What {@code sha256sum /proc/PID/cmdline} prints: each argument NUL-terminated. */
	static String cmdlineSha256(List<String> argv) {
		var digest = Sha256.digest();
		for (var argument : argv) {
			digest.update(argument.getBytes(StandardCharsets.UTF_8));
			digest.update((byte) 0);
		}
		return Sha256.hex(digest.digest());
	}

	static String sha256(String text) {
		return Sha256.hex(Sha256.of(text.getBytes(StandardCharsets.UTF_8)));
	}

}
