package dev.airlock;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A success is never labelled {@code application/problem+json}, whatever else the
 * {@code Accept} header names; a problem always is.
 */
class ContentNegotiationTests extends IntegrationTestSupport {

	/** What generated clients send, a JSON client's variant, and problems alone. */
	static final List<String> WITH_PROBLEMS = List.of("*/*, application/problem+json",
			"application/json, application/problem+json", "application/problem+json");

	@Test
	void jsonResultsAreJsonWhateverProblemsTheClientAlsoAccepts() {
		for (var accept : WITH_PROBLEMS) {
			var created = call("POST", "/v1/sandboxes", Api.json(Map.of("image", IMAGE)), accept);
			assertThat(created.status()).as(accept + ": " + created).isEqualTo(201);
			var id = created.json().get("id").asString();
			try {
				assertJson(created, accept);
				assertJson(call("GET", "/v1/sandboxes/" + id, null, accept), accept);
				assertJson(call("GET", "/v1/sandboxes", null, accept), accept);
				assertJson(call("GET", "/v1/policies", null, accept), accept);
				var exec = call("POST", "/v1/sandboxes/" + id + "/exec",
						Api.json(Map.of("command", List.of("echo", "hi"))), accept);
				assertJson(exec, accept);
				assertThat(exec.json().get("stdout").asString()).isEqualTo("hi\n");
				var write = call("PUT", "/v1/sandboxes/" + id + "/files/content?path=/workspace/f", "bytes", accept);
				assertThat(write.status()).as(accept).isEqualTo(201);
				assertJson(write, accept);
				assertJson(call("GET", "/v1/sandboxes/" + id + "/files?path=/workspace", null, accept), accept);
			}
			finally {
				assertThat(call("DELETE", "/v1/sandboxes/" + id, null, accept).status()).isEqualTo(204);
			}
		}
	}

	@Test
	void filesTextAndEventsAreLabelledAsWhatTheyAre() {
		var id = sandbox(Map.of("command", List.of("sh", "-c", "echo started; sleep 600")));
		api.upload(id, "/workspace/f", "bytes".getBytes());
		for (var accept : List.of("*/*, application/problem+json", "application/octet-stream, application/problem+json",
				"application/problem+json")) {
			var download = call("GET", "/v1/sandboxes/" + id + "/files/content?path=/workspace/f", null, accept);
			assertThat(download.status()).as(accept + ": " + download).isEqualTo(200);
			assertThat(download.contentType()).as(accept).isEqualTo("application/octet-stream");
			assertThat(download.body()).isEqualTo("bytes");
		}
		for (var accept : List.of("*/*, application/problem+json", "text/plain, application/problem+json",
				"application/problem+json")) {
			var logs = call("GET", "/v1/sandboxes/" + id + "/logs", null, accept);
			assertThat(logs.status()).as(accept + ": " + logs).isEqualTo(200);
			assertThat(logs.contentType()).as(accept).startsWith("text/plain");
		}
		var events = call("POST", "/v1/sandboxes/" + id + "/exec", Api.json(Map.of("command", List.of("echo", "hi"))),
				"text/event-stream, application/problem+json");
		assertThat(events.status()).as(events.toString()).isEqualTo(200);
		assertThat(events.contentType()).startsWith("text/event-stream");
		assertThat(events.body()).contains("event: exit");
	}

	@Test
	void aProblemIsAProblemWhateverTheClientAccepts() {
		for (var accept : List.of("*/*, application/problem+json", "application/problem+json", "application/json",
				"text/plain", "application/octet-stream")) {
			var missing = call("GET", "/v1/sandboxes/sbx_missing", null, accept);

			ProblemResponseTests.assertProblem(missing, 404, "SANDBOX_NOT_FOUND");
			var invalid = call("POST", "/v1/sandboxes", "{}", accept);
			if (accept.contains("json")) {
				ProblemResponseTests.assertProblem(invalid, 400, "VALIDATION_FAILED");
			}
			else {
				// a create whose answer could not be sent is refused before its body is
				// read
				ProblemResponseTests.assertProblem(invalid, 406, "NOT_ACCEPTABLE");
			}
		}
	}

	@Test
	void followingTheLogsAcceptingAnythingIsTheEventStream() {
		// the event stream's handler answers (here: no such sandbox), not the text's 406
		for (var accept : List.of("*/*", "text/*")) {
			var missing = call("GET", "/v1/sandboxes/sbx_missing/logs?follow=true", null, accept);
			ProblemResponseTests.assertProblem(missing, 404, "SANDBOX_NOT_FOUND");
		}
		var text = call("GET", "/v1/sandboxes/sbx_missing/logs?follow=true", null, "text/plain");
		ProblemResponseTests.assertProblem(text, 406, "NOT_ACCEPTABLE");
	}

	@Test
	void aClientThatAcceptsNeitherJsonNorProblemsIsStillRefused() {
		var response = call("GET", "/v1/policies", null, "text/html");

		ProblemResponseTests.assertProblem(response, 406, "NOT_ACCEPTABLE");
	}

	@Test
	void aChangeWhoseAnswerCannotBeSentAsAskedIsNotMade() {
		// refused before it happens: a created key's secret, a sandbox's id would be lost
		// with the 406
		var name = "p-" + UUID.randomUUID().toString().substring(0, 8);
		var policy = call("POST", "/v1/policies", Api.json(Map.of("name", name, "allowedImages", List.of("busybox:*"))),
				"text/html");
		ProblemResponseTests.assertProblem(policy, 406, "NOT_ACCEPTABLE");
		ProblemResponseTests.assertProblem(api.get("/v1/policies/" + name), 404, "POLICY_NOT_FOUND");

		var tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
		var key = call("POST", "/v1/api-keys", Api.json(Map.of("tenant", tenant, "role", "AGENT", "name", "lost")),
				"application/xml");
		ProblemResponseTests.assertProblem(key, 406, "NOT_ACCEPTABLE");
		assertThat(api.get("/v1/api-keys?tenant=" + tenant).json().get("totalItems").asInt()).isZero();

		var halt = call("POST", "/v1/admin/halt", Api.json(Map.of("tenant", tenant, "reason", "r")), "text/plain");
		ProblemResponseTests.assertProblem(halt, 406, "NOT_ACCEPTABLE");
		assertThat(api.get("/v1/admin/halt").body()).doesNotContain(tenant);
	}

	private void assertJson(Api.Response response, String accept) {
		assertThat(response.status()).as(accept + ": " + response).isBetween(200, 299);
		assertThat(response.contentType()).as(accept + ": " + response).startsWith("application/json");
	}

	private Api.Response call(String method, String path, String body, String accept) {
		var request = HttpRequest.newBuilder(api.uri(path))
			.header("Authorization", "Bearer " + Api.ADMIN_KEY)
			.header("Accept", accept);
		if (body == null) {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		else {
			var type = path.contains("/files/content") ? "application/octet-stream" : "application/json";
			request.header("Content-Type", type).method(method, HttpRequest.BodyPublishers.ofString(body));
		}
		return api.send(request.build());
	}

}
