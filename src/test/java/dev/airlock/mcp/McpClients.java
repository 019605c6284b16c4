package dev.airlock.mcp;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.airlock.Api;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;

/**
 * The MCP Java SDK's own client against {@code /mcp}, one per API key, as an agent
 * framework would hold it; remembers the sandboxes it created so tests can clean up.
 */
final class McpClients implements AutoCloseable {

	private final Api api;

	private final List<McpSyncClient> open = new CopyOnWriteArrayList<>();

	private final Set<String> created = ConcurrentHashMap.newKeySet();

	McpClients(Api api) {
		this.api = api;
	}

	/** An initialized client that sends {@code key}. */
	Client connect(String key) {
		var transport = HttpClientStreamableHttpTransport.builder(api.uri("").toString())
			.endpoint("/mcp")
			.httpRequestCustomizer(
					(request, method, uri, body, context) -> request.header("Authorization", "Bearer " + key))
			.build();
		var client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(120)).build();
		open.add(client);
		client.initialize();
		return new Client(client);
	}

	@Override
	public void close() {
		for (var id : created) {
			api.delete("/v1/sandboxes/" + id);
		}
		open.forEach(McpSyncClient::closeGracefully);
	}

	/** A connected client. */
	final class Client {

		private final McpSyncClient sdk;

		Client(McpSyncClient sdk) {
			this.sdk = sdk;
		}

		McpSyncClient sdk() {
			return sdk;
		}

		CallToolResult call(String tool, Map<String, ?> arguments) {
			@SuppressWarnings("unchecked")
			var result = sdk.callTool(new CallToolRequest(tool, (Map<String, Object>) arguments));
			if (tool.equals("create_sandbox") && !Boolean.TRUE.equals(result.isError())) {
				created.add(String.valueOf(structured(result).get("id")));
			}
			return result;
		}

		/** Calls the tool, which must succeed; answers its structured content. */
		Map<String, Object> ok(String tool, Map<String, ?> arguments) {
			var result = call(tool, arguments);
			if (Boolean.TRUE.equals(result.isError())) {
				throw new AssertionError(tool + " failed: " + text(result));
			}
			return structured(result);
		}

		/** A sandbox of {@code busybox:1.35}; answers its id. */
		String sandbox() {
			return String.valueOf(ok("create_sandbox", Map.of("image", "busybox:1.35")).get("id"));
		}

	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> structured(CallToolResult result) {
		return (Map<String, Object>) result.structuredContent();
	}

	static String text(CallToolResult result) {
		return ((TextContent) result.content().get(0)).text();
	}

}
