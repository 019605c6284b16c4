package dev.airlock;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every failure, Spring's and Spring Security's included, is an RFC 9457 problem with a
 * code and no stack trace.
 */
public class ProblemResponseTests extends IntegrationTestSupport {

	@Test
	void noKeyIs401() {
		var response = api.send("GET", "/v1/sandboxes", null, null);

		assertProblem(response, 401, "UNAUTHENTICATED");
		assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
	}

	@Test
	void aWrongKeyIs401() {
		for (var key : List.of("wrong-key-0123456789", "x".repeat(2000))) {
			assertProblem(api.send("GET", "/v1/sandboxes", null, key), 401, "UNAUTHENTICATED");
		}
		var basic = api.send(HttpRequest.newBuilder(api.uri("/v1/policies"))
			.header("Authorization", "Basic YWRtaW46YWRtaW4=")
			.build());
		assertProblem(basic, 401, "UNAUTHENTICATED");
	}

	@Test
	void healthAndApiDocsArePublicMetricsAreNot() {
		assertThat(api.send("GET", "/actuator/health/liveness", null, null).status()).isEqualTo(200);
		assertThat(api.send("GET", "/v3/api-docs", null, null).status()).isEqualTo(200);
		var yaml = api.send("GET", "/v3/api-docs.yaml", null, null);
		assertThat(yaml.status()).as(yaml.toString()).isEqualTo(200);
		assertThat(yaml.body()).startsWith("openapi:").contains("/v1/sandboxes");
		assertProblem(api.send("GET", "/actuator/prometheus", null, null), 401, "UNAUTHENTICATED");
		assertThat(api.get("/actuator/prometheus").status()).isEqualTo(200);
	}

	@Test
	void noOriginMayCallByDefaultAndAPreflightIsRefusedWithoutAskingForAKey() {
		var preflight = api.send(HttpRequest.newBuilder(api.uri("/v1/sandboxes"))
			.method("OPTIONS", HttpRequest.BodyPublishers.noBody())
			.header("Origin", "https://portal.example.com")
			.header("Access-Control-Request-Method", "GET")
			.header("Access-Control-Request-Headers", "authorization")
			.build());

		assertProblem(preflight, 403, "FORBIDDEN");
		assertThat(preflight.header("Access-Control-Allow-Origin")).isEmpty();
		assertThat(preflight.header("WWW-Authenticate")).isEmpty();
	}

	@Test
	void readinessIncludesTheDatabaseAndTheRuntime() {
		var health = api.get("/actuator/health/readiness");

		assertThat(health.status()).isEqualTo(200);
		assertThat(health.json().get("components").has("db")).isTrue();
		assertThat(health.json().get("components").get("runtime").get("status").asString()).isEqualTo("UP");
	}

	@Test
	void malformedJsonIs400() {
		assertProblem(api.post("/v1/sandboxes", "{\"image\": "), 400, "MALFORMED_REQUEST");
		assertProblem(api.post("/v1/sandboxes", "[1, 2]"), 400, "VALIDATION_FAILED");
		assertProblem(api.post("/v1/sandboxes", "{\"image\": \"busybox:1.35\", \"ttlSeconds\": \"soon\"}"), 400,
				"VALIDATION_FAILED");
	}

	@Test
	void aWrongMethodIs405() {
		var response = api.send("PATCH", "/v1/sandboxes", "{}", Api.ADMIN_KEY);

		assertProblem(response, 405, "METHOD_NOT_ALLOWED");
		assertThat(response.header("Allow")).contains("GET");
	}

	@Test
	void anUnknownPathIs404() {
		assertProblem(api.get("/v1/nothing-here"), 404, "NOT_FOUND");
	}

	@Test
	void aWrongContentTypeIs415() {
		var response = api.send(HttpRequest.newBuilder(api.uri("/v1/sandboxes"))
			.header("Authorization", "Bearer " + Api.ADMIN_KEY)
			.header("Content-Type", "text/plain")
			.POST(HttpRequest.BodyPublishers.ofString("image=busybox"))
			.build());

		assertProblem(response, 415, "UNSUPPORTED_MEDIA_TYPE");
	}

	@Test
	void aBodyOverTheLimitIs413WhetherItsLengthIsDeclaredOrNot() {
		var big = "{\"image\": \"busybox:1.35\", \"labels\": {\"a\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}}";
		assertProblem(api.post("/v1/sandboxes", big), 413, "PAYLOAD_TOO_LARGE");

		// chunked: no Content-Length, the limit bites while reading
		var chunks = new ArrayList<byte[]>();
		chunks.add("{\"name\": \"big\", \"description\": \"".getBytes());
		chunks.addAll(Collections.nCopies(64, "x".repeat(64 * 1024).getBytes()));
		var chunked = api.send(HttpRequest.newBuilder(api.uri("/v1/policies"))
			.timeout(Duration.ofSeconds(30))
			.header("Authorization", "Bearer " + Api.ADMIN_KEY)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofByteArrays(chunks))
			.build());
		assertProblem(chunked, 413, "PAYLOAD_TOO_LARGE");
	}

	@Test
	void problemsCarryTypeTitleStatusDetailAndCode() {
		var response = api.get("/v1/sandboxes/sbx_missing");

		var problem = response.json();
		assertThat(problem.get("type").asString()).isEqualTo("https://airlock.dev/problems/sandbox-not-found");
		assertThat(problem.get("title").asString()).isEqualTo("Sandbox not found");
		assertThat(problem.get("status").asInt()).isEqualTo(404);
		assertThat(problem.get("detail").asString()).contains("sbx_missing");
		assertThat(problem.get("code").asString()).isEqualTo("SANDBOX_NOT_FOUND");
	}

	public static void assertProblem(Api.Response response, int status, String code) {
		assertThat(response.status()).as(response.body()).isEqualTo(status);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.code()).isEqualTo(code);
		assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
		assertThat(response.json().has("detail")).isTrue();
	}

}
