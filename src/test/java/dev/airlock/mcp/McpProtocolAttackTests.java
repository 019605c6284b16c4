package dev.airlock.mcp;

import java.net.http.HttpRequest;
import java.util.List;

import dev.airlock.Api;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /mcp} fed what a careless client or a hostile agent sends at the JSON-RPC level:
 * batches, bodies that are no message, ill-typed params, the wrong media types, other
 * verbs. Every answer is a problem or a JSON-RPC error, never a 500, a stack trace or the
 * SDK's internals.
 */
class McpProtocolAttackTests extends McpTestSupport {

	private static final String JSON_AND_SSE = "application/json, text/event-stream";

	@Test
	void aBatchIsRefusedWholeAndRunsNothing() {
		var key = apiKey(uniqueName("t"), "AGENT");
		var id = clients.connect(key).sandbox();
		var call = """
				{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"run_command",\
				"arguments":{"sandboxId":"%s","command":["sh","-c","echo x >> /workspace/ran"]}}}""";
		var batch = new StringBuilder("[");
		for (int i = 0; i < 1000; i++) {
			batch.append(i == 0 ? "" : ",").append(call.formatted(i, id));
		}
		var answer = post(key, "application/json", JSON_AND_SSE, batch.append(']').toString());

		assertProblem(answer, 400, "MALFORMED_REQUEST");
		assertThat(answer.json().get("detail").asString()).contains("batch");
		assertThat(api.get("/v1/audit-events?type=EXEC_STARTED&sandboxId=" + id).json().get("totalItems").asLong())
			.isZero();
	}

	@Test
	void aBodyThatIsNoMessageIsAProblemWithoutAStackTrace() {
		var key = apiKey(uniqueName("t"), "AGENT");
		var bodies = List.of("null", "\"text\"", "42", "{", "{}", "", "[" + "[".repeat(100_000),
				"{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}", "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"ping\"}",
				"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":7}",
				"{\"jsonrpc\":\"2.0\",\"id\":1,\"id\":2,\"method\":\"ping\"}");
		for (var body : bodies) {
			var answer = post(key, "application/json", JSON_AND_SSE, body);
			assertProblem(answer, 400, "MALFORMED_REQUEST");
		}
	}

	@Test
	void theWrongMediaTypesAreProblems() {
		var key = apiKey(uniqueName("t"), "AGENT");
		var ping = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";
		assertProblem(post(key, "text/plain", JSON_AND_SSE, ping), 415, "UNSUPPORTED_MEDIA_TYPE");
		assertProblem(post(key, "application/json", "application/json", ping), 406, "NOT_ACCEPTABLE");
		assertProblem(post(key, "application/json", null, ping), 406, "NOT_ACCEPTABLE");
		assertThat(post(key, "application/json; charset=utf-8", JSON_AND_SSE, ping).status()).isEqualTo(200);
	}

	@Test
	void illTypedParamsAreJsonRpcErrorsNotServerErrors() {
		var key = apiKey(uniqueName("t"), "AGENT");
		var calls = List.of("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":\"run_command\"}",
				"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\"}",
				"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"run_command\",\"arguments\":\"ls\"}}",
				"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":[],\"arguments\":[]}}");
		for (var call : calls) {
			var answer = post(key, "application/json", JSON_AND_SSE, call);
			assertThat(answer.status()).as(call + " -> " + answer.body()).isEqualTo(200);
			assertThat(answer.json().at("/error/code").asInt()).as(answer.body()).isEqualTo(-32602);
			assertNoInternals(answer);
		}
		// the SDK turns this one into an internal error itself: answered without its
		// detail
		var initialize = post(key, "application/json", JSON_AND_SSE,
				"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":{}}}");
		assertThat(initialize.status()).isEqualTo(200);
		assertThat(initialize.json().at("/error/code").asInt()).isEqualTo(-32603);
		assertNoInternals(initialize);
	}

	@Test
	void otherVerbsAndUnknownMethodsAreRefusedPlainly() {
		var key = apiKey(uniqueName("t"), "AGENT");
		for (var verb : List.of("GET", "DELETE", "PUT")) {
			var answer = api.send(HttpRequest.newBuilder(api.uri("/mcp"))
				.header("Authorization", "Bearer " + key)
				.header("Accept", JSON_AND_SSE)
				.method(verb, HttpRequest.BodyPublishers.noBody())
				.build());
			assertProblem(answer, 405, "METHOD_NOT_ALLOWED");
		}
		var unknown = post(key, "application/json", JSON_AND_SSE,
				"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"sandboxes/format\"}");
		assertThat(unknown.status()).isEqualTo(200);
		assertThat(unknown.json().at("/error/code").asInt()).isEqualTo(-32601);
		for (var notification : List.of("notifications/initialized", "notifications/whatever")) {
			var answer = post(key, "application/json", JSON_AND_SSE,
					"{\"jsonrpc\":\"2.0\",\"method\":\"" + notification + "\",\"params\":\"x\"}");
			assertThat(answer.status()).as(notification).isEqualTo(202);
			assertThat(answer.body()).isEmpty();
		}
	}

	private static void assertProblem(Api.Response answer, int status, String code) {
		assertThat(answer.status()).as(answer.body()).isEqualTo(status);
		assertThat(answer.contentType()).startsWith("application/problem+json");
		assertThat(answer.code()).isEqualTo(code);
		assertNoInternals(answer);
	}

	private static void assertNoInternals(Api.Response answer) {
		assertThat(answer.body()).doesNotContain("stackTrace", "Exception", "io.modelcontextprotocol", "tools.jackson",
				"dev.airlock.", "Cannot ");
	}

	private Api.Response post(String key, String contentType, String accept, String body) {
		var request = HttpRequest.newBuilder(api.uri("/mcp"))
			.header("Authorization", "Bearer " + key)
			.header("Content-Type", contentType)
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (accept != null) {
			request.header("Accept", accept);
		}
		return api.send(request.build());
	}

}
