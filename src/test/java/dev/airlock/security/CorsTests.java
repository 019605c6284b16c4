package dev.airlock.security;

import java.net.http.HttpRequest;
import java.util.Map;

import dev.airlock.Api;
import dev.airlock.IntegrationTestSupport;
import dev.airlock.SecondInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.context.ConfigurableApplicationContext;

import static dev.airlock.ProblemResponseTests.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A browser page of a configured origin may call the API (its preflight needs no key);
 * every other origin's preflight is a 403 problem. The origin is configured on a second
 * Airlock, so the suite's own runs with the default: none.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CorsTests extends IntegrationTestSupport {

	static final String PORTAL = "https://portal.example.com";

	ConfigurableApplicationContext withPortal;

	Api portalApi;

	@BeforeAll
	void startAnAirlockThatAllowsThePortal() {
		withPortal = SecondInstance.start(database,
				Map.of("airlock.api.cors.allowed-origins", PORTAL + ",http://localhost:3000"));
		portalApi = Api.onPort(SecondInstance.port(withPortal));
	}

	@AfterAll
	void stopIt() {
		withPortal.close();
	}

	@Test
	void aPreflightFromTheAllowedOriginIsAnsweredWithoutAKey() {
		var response = preflight(PORTAL, "/v1/sandboxes", "POST", "authorization,content-type");

		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo(PORTAL);
		assertThat(response.header("Access-Control-Allow-Methods")).contains("POST");
		assertThat(response.header("Access-Control-Allow-Headers").toLowerCase()).contains("authorization",
				"content-type");
		assertThat(response.header("Access-Control-Max-Age")).isEqualTo("3600");
		assertThat(response.header("Access-Control-Allow-Credentials")).isEmpty();
		assertThat(response.headers().get("vary")).anySatisfy(vary -> assertThat(vary).contains("Origin"));
		var upload = preflight("http://localhost:3000", "/v1/sandboxes/sbx_x/files/content?path=/workspace/f", "PUT",
				"authorization,content-type,accept");
		assertThat(upload.status()).as(upload.toString()).isEqualTo(200);
		assertThat(upload.header("Access-Control-Allow-Origin")).isEqualTo("http://localhost:3000");
	}

	@Test
	void aPreflightFromAnyOtherOriginOrForAnythingElseIsA403Problem() {
		for (var origin : new String[] { "https://evil.example", "http://portal.example.com",
				"https://portal.example.com.evil.example", "https://portal.example.com:8443", "null" }) {
			var response = preflight(origin, "/v1/sandboxes", "POST", "authorization");

			assertProblem(response, 403, "FORBIDDEN");
			assertThat(response.header("Access-Control-Allow-Origin")).as(origin).isEmpty();
		}
		assertProblem(preflight(PORTAL, "/v1/sandboxes", "PATCH", "authorization"), 403, "FORBIDDEN");
		assertProblem(preflight(PORTAL, "/v1/sandboxes", "POST", "authorization,x-smuggled"), 403, "FORBIDDEN");
	}

	@Test
	void anActualRequestFromTheAllowedOriginMayBeReadByThePageAndStillNeedsItsKey() {
		var listed = get(PORTAL, Api.ADMIN_KEY);

		assertThat(listed.status()).isEqualTo(200);
		assertThat(listed.contentType()).startsWith("application/json");
		assertThat(listed.header("Access-Control-Allow-Origin")).isEqualTo(PORTAL);
		assertThat(listed.header("Access-Control-Expose-Headers")).contains("Retry-After", "X-Request-Id");
		var withoutKey = get(PORTAL, null);
		assertProblem(withoutKey, 401, "UNAUTHENTICATED");
		assertThat(withoutKey.header("Access-Control-Allow-Origin")).as("the page may read the problem")
			.isEqualTo(PORTAL);
	}

	@Test
	void aPageThatCreatesMayReadWhereItsCreationIs() {
		var created = portalApi.send(HttpRequest.newBuilder(portalApi.uri("/v1/api-keys"))
			.header("Origin", PORTAL)
			.header("Authorization", "Bearer " + Api.ADMIN_KEY)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers
				.ofString(Api.json(Map.of("tenant", "cors-page", "role", "AGENT", "name", "from-the-portal"))))
			.build());
		try {
			assertThat(created.status()).as(created.toString()).isEqualTo(201);
			assertThat(created.header("Location")).endsWith("/v1/api-keys/" + created.json().get("id").asString());
			assertThat(created.header("Access-Control-Expose-Headers")).as("a page reads Location only when exposed")
				.contains("Location");
		}
		finally {
			portalApi.delete("/v1/api-keys/" + created.json().get("id").asString());
		}
	}

	@Test
	void anActualRequestFromAnotherOriginGetsNoAllowance() {
		var listed = get("https://evil.example", Api.ADMIN_KEY);

		assertThat(listed.status()).isEqualTo(200);
		assertThat(listed.header("Access-Control-Allow-Origin")).isEmpty();
		assertProblem(get("https://evil.example", null), 401, "UNAUTHENTICATED");
	}

	private Api.Response preflight(String origin, String path, String method, String headers) {
		return portalApi.send(HttpRequest.newBuilder(portalApi.uri(path))
			.method("OPTIONS", HttpRequest.BodyPublishers.noBody())
			.header("Origin", origin)
			.header("Access-Control-Request-Method", method)
			.header("Access-Control-Request-Headers", headers)
			.build());
	}

	private Api.Response get(String origin, String key) {
		var request = HttpRequest.newBuilder(portalApi.uri("/v1/policies")).header("Origin", origin);
		if (key != null) {
			request.header("Authorization", "Bearer " + key);
		}
		return portalApi.send(request.build());
	}

}
