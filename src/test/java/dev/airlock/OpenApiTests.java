package dev.airlock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Pattern;

import dev.airlock.core.ErrorCode;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class OpenApiTests extends IntegrationTestSupport {

	/** The committed snapshot of the served document: what clients are generated from. */
	static final Path SNAPSHOT = Path.of("docs/openapi.json");

	private static final Path SERVED = Path.of("target/openapi.json");

	@Test
	void theDocumentDescribesTheContractsPathsAndTheBearerScheme() {
		var document = api.send("GET", "/v3/api-docs", null, null).json();

		var paths = new ArrayList<String>();
		document.get("paths").propertyNames().forEach(paths::add);
		assertThat(paths)
			.contains("/v1/sandboxes", "/v1/sandboxes/{id}", "/v1/policies", "/v1/policies/{name}",
					"/v1/sandboxes/{id}/exec", "/v1/sandboxes/{id}/files", "/v1/sandboxes/{id}/files/content",
					"/v1/sandboxes/{id}/egress")
			.doesNotContain("/error");
		assertThat(document.get("paths").get("/v1/sandboxes/{id}").has("delete")).isTrue();
		var scheme = document.get("components").get("securitySchemes").get("apiKey");
		assertThat(scheme.get("type").asString()).isEqualTo("http");
		assertThat(scheme.get("scheme").asString()).isEqualTo("bearer");
		assertThat(api.send("GET", "/swagger-ui/index.html", null, null).status()).isEqualTo(200);
	}

	@Test
	void theServedDocumentIsTheCommittedSnapshot() throws IOException {
		var served = pretty(api.send("GET", "/v3/api-docs", null, null).body());
		Files.createDirectories(SERVED.getParent());
		Files.writeString(SERVED, served);

		var committed = Files.exists(SNAPSHOT) ? Files.readString(SNAPSHOT) : "";
		assertThat(firstDifference(committed, served))
			.as("docs/openapi.json is not the served document (written to target/openapi.json); if the change is "
					+ "meant, refresh it: cp target/openapi.json docs/openapi.json")
			.isNull();
	}

	@Test
	void everyOperationHasItsVerbItsSuccessAndItsProblems() {
		var paths = api.send("GET", "/v3/api-docs", null, null).json().get("paths");
		var ids = new TreeMap<String, JsonNode>();
		paths.values()
			.forEach(item -> item.values()
				.forEach(operation -> ids.put(operation.get("operationId").asString(), operation)));

		assertThat(ids.keySet()).containsExactlyInAnyOrder("createSandbox", "listSandboxes", "getSandbox",
				"deleteSandbox", "setSandboxTimeout", "getSandboxStats", "getSandboxLogs", "execCommand", "writeFile",
				"readFile", "listFiles", "deleteFile", "listEgressDecisions", "listPolicies", "createPolicy",
				"getPolicy", "updatePolicy", "deletePolicy", "listPools", "createPool", "getPool", "updatePool",
				"deletePool", "createHalt", "listHalts", "liftHalt", "getTenantQuota", "setTenantQuota",
				"listAuditEvents", "verifyAuditLog", "exportAuditLog", "createApiKey", "listApiKeys", "revokeApiKey");
		for (var created : List.of("createSandbox", "createPolicy", "createPool", "createApiKey", "writeFile")) {
			assertThat(successes(ids.get(created))).as(created).containsExactly("201");
		}
		for (var deleted : List.of("deleteSandbox", "deletePolicy", "deletePool", "liftHalt", "revokeApiKey",
				"deleteFile")) {
			assertThat(successes(ids.get(deleted))).as(deleted).containsExactly("204");
			assertThat(ids.get(deleted).get("responses").get("204").has("content")).as(deleted).isFalse();
		}
		ids.forEach((id, operation) -> operation.get("responses").properties().forEach(entry -> {
			var status = entry.getKey();
			var response = entry.getValue();
			if (!status.startsWith("2")) {
				assertThat(response.get("content").propertyNames()).as(id + " " + status)
					.containsExactly("application/problem+json");
			}
			else if (response.has("content")) {
				assertThat(response.get("content").propertyNames()).as(id + " " + status)
					.doesNotContain("*/*", "application/problem+json");
			}
		}));
		assertThat(statuses(ids.get("createSandbox"))).contains("400", "401", "403", "404", "409", "413", "415", "422",
				"423", "429", "502", "503");
		assertThat(statuses(ids.get("writeFile"))).contains("413", "429", "507").doesNotContain("415");

		var upload = ids.get("writeFile").get("requestBody").get("content");
		assertThat(upload.propertyNames()).containsExactly("application/octet-stream");
		assertThat(upload.get("application/octet-stream").get("schema").get("format").asString()).isEqualTo("binary");
		var download = content(ids.get("readFile"));
		assertThat(download.propertyNames()).containsExactly("application/octet-stream");
		assertThat(download.get("application/octet-stream").get("schema").get("format").asString()).isEqualTo("binary");
		assertThat(content(ids.get("execCommand")).propertyNames()).containsExactly("application/json",
				"text/event-stream");
		assertThat(content(ids.get("getSandboxLogs")).propertyNames()).containsExactlyInAnyOrder("text/plain",
				"text/event-stream");
		assertThat(content(ids.get("exportAuditLog")).propertyNames()).containsExactly("application/x-ndjson");
		assertThat(ids.get("execCommand").get("responses").get("200").get("description").asString())
			.contains("'stdout'", "'stderr'", "'exit'", "'error'");
	}

	@Test
	void theProblemSchemaHasEveryMemberTheServiceSends() {
		var schemas = api.send("GET", "/v3/api-docs", null, null).json().get("components").get("schemas");
		var problem = schemas.get("Problem");

		assertThat(problem.get("properties").propertyNames()).containsExactlyInAnyOrder("type", "title", "status",
				"detail", "instance", "code", "errors", "sandboxId", "limit");
		assertThat(problem.get("properties").get("code").get("enum").values()).extracting(JsonNode::asString)
			.containsExactlyInAnyOrder(Arrays.stream(ErrorCode.values()).map(Enum::name).toArray(String[]::new));
		assertThat(problem.get("required").values()).extracting(JsonNode::asString)
			.containsExactlyInAnyOrder("type", "title", "status", "detail", "code");
		var names = new ArrayList<String>();
		schemas.propertyNames().forEach(names::add);
		assertThat(names).as("no library types").noneMatch(name -> name.contains("Json") || name.contains("Node"));
		assertThat(schemas.get("AuditEvent").get("properties").get("data").get("type").asString()).isEqualTo("object");
	}

	@Test
	void answersRequireWhatTheyAlwaysHaveAndRequestsWhatTheyRefuseWithout() {
		var schemas = api.send("GET", "/v3/api-docs", null, null).json().get("components").get("schemas");

		var sandbox = schemas.get("SandboxView");
		assertThat(sandbox.get("required").values()).extracting(JsonNode::asString)
			.contains("id", "status", "image", "createdAt", "expiresAt")
			.doesNotContain("endedAt", "startedAt");
		assertThat(sandbox.get("properties").get("endedAt").get("nullable").asBoolean()).isTrue();
		assertThat(sandbox.get("properties").get("id").has("nullable")).isFalse();
		assertThat(schemas.get("ExecResult").get("required").values()).extracting(JsonNode::asString)
			.contains("exitCode", "stdout", "stderr");
		var create = schemas.get("CreateSandboxRequest");
		assertThat(create.get("required").values()).extracting(JsonNode::asString).containsExactly("image");
		assertThat(create.get("properties").get("command").get("nullable").asBoolean()).isTrue();
		assertThat(schemas.get("ExecRequest").get("required").values()).extracting(JsonNode::asString)
			.containsExactly("command");
	}

	/**
	 * Patterns as Bean Validation applies them (the whole value) and as every generator's
	 * language compiles them: anchored, without Java-only classes, lookbehinds or inline
	 * flags, and not opening with '/' (Python's generator reads that as /regex/flags).
	 */
	@Test
	void everyPatternIsAnchoredAndPortable() {
		var document = api.send("GET", "/v3/api-docs", null, null).body();
		var patterns = Api.Response.parse(document).findValues("pattern");

		assertThat(patterns).isNotEmpty().allSatisfy(node -> {
			var pattern = node.asString();
			assertThat(pattern).startsWith("^").endsWith("$").doesNotContain("\\p{", "(?<", "(?i", "*+", "++");
			assertThat(Pattern.compile(pattern)).isNotNull();
		});
	}

	/** The first line where the two differ, with its number; null when they are equal. */
	private static @Nullable String firstDifference(String committed, String served) {
		var was = committed.lines().toList();
		var is = served.lines().toList();
		for (int line = 0; line < Math.max(was.size(), is.size()); line++) {
			var before = line < was.size() ? was.get(line) : "(end of file)";
			var now = line < is.size() ? is.get(line) : "(end of file)";
			if (!before.equals(now)) {
				return "line " + (line + 1) + ": committed " + before.strip() + ", served " + now.strip();
			}
		}
		return committed.equals(served) ? null : "the final newline";
	}

	private static List<String> successes(JsonNode operation) {
		return statuses(operation).stream().filter(status -> status.startsWith("2")).toList();
	}

	private static List<String> statuses(JsonNode operation) {
		var statuses = new ArrayList<String>();
		operation.get("responses").propertyNames().forEach(statuses::add);
		return statuses;
	}

	private static JsonNode content(JsonNode operation) {
		return operation.get("responses").get("200").get("content");
	}

	/**
	 * Two-space indents, keys in the served order, one final newline: as {@code jq .}
	 * prints.
	 */
	static String pretty(String json) {
		var separators = Separators.createDefaultInstance()
			.withObjectNameValueSpacing(Separators.Spacing.AFTER)
			.withObjectEmptySeparator("")
			.withArrayEmptySeparator("");
		var printer = new DefaultPrettyPrinter(separators).withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE);
		var mapper = JsonMapper.builder().build();
		return mapper.writer().with(printer).writeValueAsString(mapper.readTree(json)) + "\n";
	}

}
