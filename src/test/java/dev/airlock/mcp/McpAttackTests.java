package dev.airlock.mcp;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.airlock.Api;
import dev.airlock.SecondInstance;
import org.junit.jupiter.api.Test;

import static dev.airlock.mcp.McpClients.structured;
import static dev.airlock.mcp.McpClients.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /mcp} under attack: without a key, with the wrong role, over the key's rate
 * limit, with another tenant's sandbox, with a session id of another key, with bodies and
 * files too large to hold.
 */
class McpAttackTests extends McpTestSupport {

	private static final String INITIALIZE = """
			{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",\
			"capabilities":{},"clientInfo":{"name":"curl","version":"1"}}}""";

	@Test
	void withoutAKeyItIs401AndForAMetricsKey403() {
		var anonymous = post(null, INITIALIZE, Map.of());
		assertThat(anonymous.status()).isEqualTo(401);
		assertThat(anonymous.contentType()).startsWith("application/problem+json");
		assertThat(anonymous.code()).isEqualTo("UNAUTHENTICATED");

		var metrics = post(apiKey(uniqueName("t"), "METRICS"), INITIALIZE, Map.of());
		assertThat(metrics.status()).isEqualTo(403);
		assertThat(metrics.code()).isEqualTo("FORBIDDEN");

		for (var role : List.of("AGENT", "OPERATOR", "ADMIN")) {
			var answer = post(apiKey(uniqueName("t"), role), INITIALIZE, Map.of());
			assertThat(answer.status()).as(role + ": " + answer.body()).isEqualTo(200);
			assertThat(answer.json().at("/result/serverInfo/name").asString()).isEqualTo("airlock");
		}
	}

	@Test
	void eachPostCountsAgainstTheKeysRateLimit() {
		try (var limited = SecondInstance.start(database,
				Map.of("airlock.security.rate-limit.burst", "5", "airlock.security.rate-limit.per-second", "1"))) {
			var client = Api.onPort(SecondInstance.port(limited));
			var statuses = new ArrayList<Integer>();
			Api.Response last = null;
			for (int i = 0; i < 8; i++) {
				last = client
					.send(request(client, Api.ADMIN_KEY, Map.of()).POST(HttpRequest.BodyPublishers.ofString(INITIALIZE))
						.build());
				statuses.add(last.status());
			}
			assertThat(statuses.subList(0, 5)).containsOnly(200);
			assertThat(statuses).contains(429);
			assertThat(last.code()).isEqualTo("RATE_LIMITED");
		}
	}

	@Test
	void aTenantsKeyFindsNoOtherTenantsSandboxThroughAnyTool() {
		var owner = clients.connect(apiKey(uniqueName("t"), "AGENT"));
		var id = owner.sandbox();
		owner.ok("write_file", Map.of("sandboxId", id, "path", "/workspace/secret", "content", "s3cret"));
		var stranger = clients.connect(apiKey(uniqueName("t"), "AGENT"));

		var calls = Map.of("run_command", Map.of("sandboxId", id, "command", List.of("true")), "write_file",
				Map.of("sandboxId", id, "path", "/workspace/x", "content", "x"), "read_file",
				Map.of("sandboxId", id, "path", "/workspace/secret"), "list_files",
				Map.of("sandboxId", id, "path", "/workspace"), "delete_sandbox", Map.of("sandboxId", id));
		calls.forEach((tool, arguments) -> {
			var result = stranger.call(tool, arguments);
			assertThat(result.isError()).as(tool).isTrue();
			assertThat(text(result)).as(tool).startsWith("SANDBOX_NOT_FOUND: ").doesNotContain("s3cret");
			assertThat(structured(result)).containsEntry("code", "SANDBOX_NOT_FOUND").containsEntry("status", 404);
		});
		assertThat(String.valueOf(stranger.ok("list_sandboxes", Map.of()).get("items"))).doesNotContain(id);
		assertThat(status(id)).isEqualTo("RUNNING");
		assertThat(owner.ok("read_file", Map.of("sandboxId", id, "path", "/workspace/secret"))).containsEntry("content",
				"s3cret");
	}

	@Test
	void aSessionIdCarriesNoIdentity() {
		var ownerKey = apiKey(uniqueName("t"), "AGENT");
		var id = clients.connect(ownerKey).sandbox();
		var initialized = post(ownerKey, INITIALIZE, Map.of());
		// stateless: no session is handed out that a request could name
		assertThat(initialized.header("Mcp-Session-Id")).isEmpty();

		var call = """
				{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"read_file",\
				"arguments":{"sandboxId":"%s","path":"/etc/hostname"}}}""".formatted(id);
		var stranger = apiKey(uniqueName("t"), "AGENT");
		var answer = post(stranger, call, Map.of("Mcp-Session-Id", "forged-or-reused-session"));
		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.json().at("/result/isError").asBoolean()).isTrue();
		assertThat(answer.json().at("/result/content/0/text").asString()).startsWith("SANDBOX_NOT_FOUND");
		assertThat(post(ownerKey, call, Map.of("Mcp-Session-Id", "forged-or-reused-session")).json()
			.at("/result/isError")
			.asBoolean()).isFalse();
	}

	@Test
	void refusalsAndBadArgumentsAreErrorResultsNamingTheCode() {
		var client = clients.connect(apiKey(uniqueName("t"), "AGENT"));
		var policy = newPolicy(Map.of("allowedImages", List.of("busybox:*")));

		var refused = client.call("create_sandbox", Map.of("image", "alpine:3.20", "policy", policy));
		assertThat(refused.isError()).isTrue();
		assertThat(text(refused)).startsWith("IMAGE_NOT_ALLOWED: ").contains("alpine:3.20");
		assertThat(structured(refused)).containsEntry("code", "IMAGE_NOT_ALLOWED").containsEntry("status", 403);

		var missing = client.call("create_sandbox", Map.of());
		assertThat(text(missing)).startsWith("VALIDATION_FAILED: ").contains("image: must not be blank");
		var unknown = client.call("create_sandbox", Map.of("image", IMAGE, "privileged", true));
		assertThat(text(unknown)).startsWith("VALIDATION_FAILED: ").contains("privileged: unknown field");
		var mistyped = client.call("run_command", Map.of("sandboxId", "sbx", "command", "ls"));
		assertThat(text(mistyped)).startsWith("VALIDATION_FAILED: ").contains("command");
		// a nested field is named by its path, as the REST API names it
		var nested = client.call("create_sandbox", Map.of("image", IMAGE, "resources", Map.of("cpus", 1, "gpus", 1)));
		assertThat(text(nested)).startsWith("VALIDATION_FAILED: ").contains("resources.gpus: unknown field");
		var nestedType = client.call("create_sandbox", Map.of("image", IMAGE, "resources", Map.of("cpus", "lots")));
		assertThat(text(nestedType)).startsWith("VALIDATION_FAILED: ").contains("resources.cpus: wrong type or format");
		var badEnv = client.call("create_sandbox", Map.of("image", IMAGE, "env", Map.of("A B", "x")));
		assertThat(text(badEnv)).startsWith("VALIDATION_FAILED: ").contains("env[A B]: must be a variable name");
		var badBase64 = client.call("write_file",
				Map.of("sandboxId", "sbx", "path", "/workspace/a", "content", "%%%", "encoding", "base64"));
		assertThat(text(badBase64)).startsWith("VALIDATION_FAILED: ");
		var nobody = client.call("run_command", Map.of("sandboxId", "sbx_nope", "command", List.of("true")));
		assertThat(text(nobody)).isEqualTo("SANDBOX_NOT_FOUND: No sandbox 'sbx_nope'.");
		assertThat(String.valueOf(nobody.content())).doesNotContain("Exception", "at dev.airlock");
	}

	@Test
	void writesAreCappedByTheBodyLimitAndThePolicy() {
		var key = apiKey(uniqueName("t"), "AGENT");
		var client = clients.connect(key);
		var id = client.sandbox();

		var huge = """
				{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"write_file",\
				"arguments":{"sandboxId":"%s","path":"/workspace/big","content":"%s"}}}""".formatted(id,
				"a".repeat(2 << 20));
		var declared = post(key, huge, Map.of());
		assertThat(declared.status()).isEqualTo(413);
		assertThat(declared.code()).isEqualTo("PAYLOAD_TOO_LARGE");
		var chunked = api.send(request(api, key, Map.of())
			.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge.getBytes())))
			.build());
		assertThat(chunked.status()).as(chunked.body()).isEqualTo(413);
		assertThat(chunked.code()).isEqualTo("PAYLOAD_TOO_LARGE");
		assertThat(client.call("read_file", Map.of("sandboxId", id, "path", "/workspace/big")).isError()).isTrue();

		var capped = sandbox(Map.of("policy", newPolicy(Map.of("maxUploadBytes", 1000))));
		var admin = clients.connect(Api.ADMIN_KEY);
		var tooLarge = admin.call("write_file",
				Map.of("sandboxId", capped, "path", "/workspace/a", "content", "b".repeat(1001)));
		assertThat(text(tooLarge)).startsWith("PAYLOAD_TOO_LARGE: ").contains("1000 bytes");
		assertThat(admin.ok("write_file",
				Map.of("sandboxId", capped, "path", "/workspace/a", "content", "b".repeat(1000))))
			.containsEntry("size", 1000);
	}

	@Test
	void readsNeverHoldMoreThanTheLimit() {
		var client = clients.connect(apiKey(uniqueName("t"), "AGENT"));
		var id = client.sandbox();
		client.ok("run_command",
				Map.of("sandboxId", id, "command", List.of("sh", "-c", "head -c 3000000 /dev/zero > /workspace/big")));

		var big = client.call("read_file", Map.of("sandboxId", id, "path", "/workspace/big"));
		assertThat(text(big)).startsWith("PAYLOAD_TOO_LARGE: ").contains("head");
		var zero = client.call("read_file", Map.of("sandboxId", id, "path", "/dev/zero"));
		assertThat(zero.isError()).isTrue();
		assertThat(text(zero)).doesNotStartWith("INTERNAL_ERROR");
		var folder = client.call("read_file", Map.of("sandboxId", id, "path", "/workspace"));
		assertThat(folder.isError()).isTrue();
		// the refused reads are audited like a refused download
		assertThat(api.get("/v1/audit-events?type=FILE_READ&sandboxId=" + id).json().get("totalItems").asLong())
			.isPositive();
	}

	private Api.Response post(String key, String body, Map<String, String> headers) {
		return api.send(request(api, key, headers).POST(HttpRequest.BodyPublishers.ofString(body)).build());
	}

	private static HttpRequest.Builder request(Api api, String key, Map<String, String> headers) {
		var request = HttpRequest.newBuilder(api.uri("/mcp"))
			.header("Content-Type", "application/json")
			.header("Accept", "application/json, text/event-stream");
		if (key != null) {
			request.header("Authorization", "Bearer " + key);
		}
		headers.forEach(request::header);
		return request;
	}

}
