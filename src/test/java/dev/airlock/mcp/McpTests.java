package dev.airlock.mcp;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.modelcontextprotocol.spec.McpSchema.Tool;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MCP server at {@code /mcp}, driven by the MCP Java SDK's client: the tools an agent
 * sees, a whole session against a real sandbox, and the refusals it gets as error results
 * that name the contract's code.
 */
class McpTests extends McpTestSupport {

	@Test
	void theSdkClientListsTheToolsWithTheirSchemas() {
		var client = clients.connect(apiKey(uniqueName("t"), "AGENT"));
		var tools = client.sdk().listTools().tools();

		assertThat(tools).extracting(Tool::name)
			.containsExactlyInAnyOrder("create_sandbox", "list_sandboxes", "delete_sandbox", "run_command",
					"write_file", "read_file", "list_files");
		var byName = tools.stream().collect(Collectors.toMap(Tool::name, tool -> tool));
		assertThat(required(byName.get("create_sandbox"))).containsExactly("image");
		assertThat(properties(byName.get("create_sandbox"))).containsKeys("image", "policy", "env", "workdir",
				"ttlSeconds", "labels", "resources", "command");
		assertThat(required(byName.get("run_command"))).containsExactly("sandboxId", "command");
		assertThat(properties(byName.get("run_command"))).containsKeys("stdin", "workdir", "env", "timeoutSeconds");
		assertThat(properties(byName.get("write_file"))).containsKeys("path", "content", "encoding");
		assertThat(required(byName.get("read_file"))).containsExactly("sandboxId", "path");
		assertThat(tools).allSatisfy(tool -> assertThat(tool.description()).hasSizeGreaterThan(40));
	}

	@Test
	void anAgentCreatesRunsWritesReadsListsAndDeletes() {
		var client = clients.connect(apiKey(uniqueName("t"), "AGENT"));

		var created = client.ok("create_sandbox", Map.of("image", IMAGE, "labels", Map.of("job", "mcp")));
		assertThat(created).containsEntry("status", "RUNNING").containsEntry("image", IMAGE);
		var id = String.valueOf(created.get("id"));

		var ran = client.ok("run_command",
				Map.of("sandboxId", id, "command", List.of("sh", "-c", "echo hello; echo oops >&2; exit 3")));
		assertThat(ran).containsEntry("stdout", "hello\n")
			.containsEntry("stderr", "oops\n")
			.containsEntry("exitCode", 3)
			.containsEntry("timedOut", false)
			.containsEntry("stdoutTruncated", false);

		var written = client.ok("write_file",
				Map.of("sandboxId", id, "path", "/workspace/notes/a.txt", "content", "grüße\n"));
		assertThat(written).containsEntry("path", "/workspace/notes/a.txt").containsEntry("size", 8);
		var read = client.ok("read_file", Map.of("sandboxId", id, "path", "/workspace/notes/a.txt"));
		assertThat(read).containsEntry("encoding", "utf-8").containsEntry("content", "grüße\n");
		assertThat(
				client.ok("run_command", Map.of("sandboxId", id, "command", List.of("cat", "/workspace/notes/a.txt"))))
			.containsEntry("stdout", "grüße\n");

		var binary = new byte[] { 0, (byte) 0xff, (byte) 0xfe, 10 };
		client.ok("write_file", Map.of("sandboxId", id, "path", "/workspace/b.bin", "content",
				Base64.getEncoder().encodeToString(binary), "encoding", "base64"));
		assertThat(client.ok("read_file", Map.of("sandboxId", id, "path", "/workspace/b.bin")))
			.containsEntry("encoding", "base64")
			.containsEntry("content", Base64.getEncoder().encodeToString(binary));

		var listed = client.ok("list_files", Map.of("sandboxId", id, "path", "/workspace"));
		assertThat(String.valueOf(listed.get("entries"))).contains("name=notes", "type=DIRECTORY", "name=b.bin");

		var page = client.ok("list_sandboxes", Map.of("labels", Map.of("job", "mcp")));
		assertThat(String.valueOf(page.get("items"))).contains(id);
		assertThat(page).containsEntry("totalItems", 1);

		assertThat(client.ok("delete_sandbox", Map.of("sandboxId", id))).containsEntry("deleted", true);
		assertThat(status(id)).isEqualTo("TERMINATED");
	}

	@Test
	void theAuditLogRecordsAToolCallAsItRecordsTheRestCall() {
		var tenant = uniqueName("t");
		var key = apiKey(tenant, "AGENT");
		var client = clients.connect(key);

		var viaMcp = client.sandbox();
		client.ok("run_command", Map.of("sandboxId", viaMcp, "command", List.of("true")));
		client.ok("write_file", Map.of("sandboxId", viaMcp, "path", "/workspace/a", "content", "x"));
		client.ok("read_file", Map.of("sandboxId", viaMcp, "path", "/workspace/a"));
		client.ok("delete_sandbox", Map.of("sandboxId", viaMcp));

		var created = api.createSandbox(Map.of("image", IMAGE), key);
		var viaRest = created.json().get("id").asString();
		api.send("POST", "/v1/sandboxes/" + viaRest + "/exec", Map.of("command", List.of("true")), key);
		api.send(HttpRequest.newBuilder(api.uri("/v1/sandboxes/" + viaRest + "/files/content?path=/workspace/a"))
			.header("Authorization", "Bearer " + key)
			.PUT(HttpRequest.BodyPublishers.ofString("x"))
			.build());
		api.send("GET", "/v1/sandboxes/" + viaRest + "/files/content?path=/workspace/a", null, key);
		api.send("DELETE", "/v1/sandboxes/" + viaRest, null, key);

		assertThat(auditTrail(viaMcp)).isNotEmpty().isEqualTo(auditTrail(viaRest));
	}

	@SuppressWarnings("unchecked")
	private static List<String> required(Tool tool) {
		return (List<String>) tool.inputSchema().get("required");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> properties(Tool tool) {
		return (Map<String, Object>) tool.inputSchema().get("properties");
	}

	/** Each audit event of the sandbox, oldest first: its type, tenant and actor. */
	private List<String> auditTrail(String sandboxId) {
		var items = api.get("/v1/audit-events?size=500&sandboxId=" + sandboxId).json().get("items");
		var trail = new ArrayList<String>();
		for (var event : items) {
			trail.add(0, event.get("type").asString() + " " + event.get("tenant").asString() + " "
					+ event.get("actor").asString());
		}
		return trail;
	}

}
