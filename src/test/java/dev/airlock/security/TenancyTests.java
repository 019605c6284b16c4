package dev.airlock.security;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import dev.airlock.Api;
import dev.airlock.IntegrationTestSupport;
import dev.airlock.SecondInstance;
import dev.airlock.security.SecurityEvents.AuthFailed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** API keys, roles, tenant isolation, quotas and rate limits. */
class TenancyTests extends IntegrationTestSupport {

	/** Loopback addresses no other test sends from: 127.0.0.100 and up. */
	private static final AtomicInteger FLOOD_ADDRESSES = new AtomicInteger();

	/** Created with another tenant's key, so not through {@link #sandbox()}. */
	final List<String> sandboxes = new ArrayList<>();

	@AfterEach
	void removeOtherTenantsSandboxes() {
		sandboxes.forEach(id -> api.delete("/v1/sandboxes/" + id));
	}

	String key(String tenant, String role) {
		var key = apiKey(tenant, role);
		assertThat(key).startsWith("alk_").hasSizeGreaterThan(40);
		return key;
	}

	static String tenant() {
		return uniqueName("t");
	}

	String createAs(String key, Map<String, ?> body) {
		var response = api.send("POST", "/v1/sandboxes", body, key);
		assertThat(response.status()).as(response.body()).isEqualTo(201);
		var id = response.json().get("id").asString();
		sandboxes.add(id);
		return id;
	}

	@Test
	void keysAreShownOnceStoredHashedAndRevocationBitesAtOnce() {
		var tenant = tenant();
		var created = api.post("/v1/api-keys", Map.of("tenant", tenant, "role", "AGENT", "name", "orchestrator-1"));
		var id = created.json().get("id").asString();
		var secret = created.json().get("key").asString();
		assertThat(id).startsWith("ak_");
		assertThat(api.send("GET", "/v1/sandboxes", null, secret).status()).isEqualTo(200);

		var listed = api.get("/v1/api-keys?tenant=" + tenant);
		assertThat(listed.body()).contains(id).doesNotContain(secret);
		assertThat(listed.json().get("items").get(0).has("key")).isFalse();
		assertThat(listed.json().get("items").get(0).get("lastUsedAt").isNull()).isFalse();
		var stored = jdbc.queryForObject("select count(*) from api_keys where row_to_json(api_keys)::text like ?",
				Long.class, "%" + secret.substring(4) + "%");
		assertThat(stored).isZero();

		assertThat(api.delete("/v1/api-keys/" + id).status()).isEqualTo(204);
		var revoked = api.send("GET", "/v1/sandboxes", null, secret);
		assertThat(revoked.status()).isEqualTo(401);
		assertThat(revoked.code()).isEqualTo("UNAUTHENTICATED");
		assertThat(api.delete("/v1/api-keys/ak_nope").code()).isEqualTo("API_KEY_NOT_FOUND");
		// the bootstrap key keeps working
		assertThat(api.get("/v1/api-keys").status()).isEqualTo(200);
	}

	@Test
	void everyRoleGetsExactlyItsEndpoints() {
		var tenant = tenant();
		var admin = key("admin", "ADMIN");
		var operator = key(tenant, "OPERATOR");
		var agent = key(tenant, "AGENT");
		var metrics = key(tenant, "METRICS");
		var otherTenant = createAs(admin, Map.of("image", IMAGE));

		record Call(String method, String path, Object body) {
		}
		var calls = List.of(new Call("GET", "/v1/sandboxes", null), new Call("GET", "/v1/policies", null),
				new Call("POST", "/v1/policies", Map.of("name", uniqueName("p"))),
				new Call("GET", "/v1/api-keys", null),
				new Call("POST", "/v1/api-keys", Map.of("tenant", tenant, "role", "AGENT", "name", "x")),
				new Call("GET", "/v1/admin/halt", null), new Call("GET", "/v1/audit-events", null),
				new Call("GET", "/actuator/prometheus", null), new Call("GET", "/v1/sandboxes/" + otherTenant, null));
		// expected status per role, in the order of calls
		var expected = Map.of("ADMIN", List.of(200, 200, 201, 200, 201, 200, 200, 200, 200), "OPERATOR",
				List.of(200, 200, 201, 200, 403, 200, 200, 403, 200), "AGENT",
				List.of(200, 200, 403, 403, 403, 403, 200, 403, 404), "METRICS",
				List.of(403, 403, 403, 403, 403, 403, 403, 200, 403));
		var keys = Map.of("ADMIN", admin, "OPERATOR", operator, "AGENT", agent, "METRICS", metrics);
		keys.forEach((role, key) -> {
			for (int i = 0; i < calls.size(); i++) {
				var call = calls.get(i);
				var body = call.body() instanceof Map<?, ?> m && m.containsKey("name")
						&& call.path().equals("/v1/policies") ? Map.of("name", uniqueName("p")) : call.body();
				var response = api.send(call.method(), call.path(), body, key);
				assertThat(response.status())
					.as(role + " " + call.method() + " " + call.path() + ": " + response.body())
					.isEqualTo(expected.get(role).get(i));
				if (response.status() >= 400) {
					assertThat(response.contentType()).startsWith("application/problem+json");
				}
			}
		});
	}

	@Test
	void anotherTenantsSandboxIsNotFoundOnEveryRouteAndNeverListed() {
		var a = key(tenant(), "AGENT");
		var b = key(tenant(), "AGENT");
		var mine = createAs(a, Map.of("image", IMAGE));

		record Route(String method, String path, Object body) {
		}
		var routes = List.of(new Route("GET", "/v1/sandboxes/" + mine, null),
				new Route("POST", "/v1/sandboxes/" + mine + "/exec", Map.of("command", List.of("true"))),
				new Route("POST", "/v1/sandboxes/" + mine + "/timeout", Map.of("ttlSeconds", 60)),
				new Route("GET", "/v1/sandboxes/" + mine + "/stats", null),
				new Route("GET", "/v1/sandboxes/" + mine + "/logs", null),
				new Route("GET", "/v1/sandboxes/" + mine + "/files?path=/workspace", null),
				new Route("GET", "/v1/sandboxes/" + mine + "/files/content?path=/etc/passwd", null),
				new Route("DELETE", "/v1/sandboxes/" + mine + "/files?path=/workspace/x", null),
				new Route("DELETE", "/v1/sandboxes/" + mine, null));
		for (var route : routes) {
			var response = api.send(route.method(), route.path(), route.body(), b);
			assertThat(response.status()).as(route.method() + " " + route.path()).isEqualTo(404);
			assertThat(response.code()).as(route.path()).isEqualTo("SANDBOX_NOT_FOUND");
		}
		assertThat(api.send("GET", "/v1/sandboxes?size=500", null, b).body()).doesNotContain(mine);
		assertThat(api.send("GET", "/v1/sandboxes?size=500&tenant=admin", null, b).json().get("totalItems").asLong())
			.isZero();
		assertThat(api.send("GET", "/v1/sandboxes/" + mine, null, a).json().get("status").asString())
			.isEqualTo("RUNNING");
	}

	@Test
	void noRequestFieldCanSetWhatTheServerDecides() {
		var agent = key(tenant(), "AGENT");
		for (var smuggled : List.<Map<String, Object>>of(Map.of("image", IMAGE, "tenant", "admin"),
				Map.of("image", IMAGE, "status", "RUNNING"), Map.of("image", IMAGE, "privileged", true),
				Map.of("image", IMAGE, "policyVersion", 1), Map.of("image", IMAGE, "id", "sbx_mine"))) {
			var response = api.send("POST", "/v1/sandboxes", smuggled, agent);
			assertThat(response.status()).as(smuggled.toString()).isEqualTo(400);
			assertThat(response.code()).isEqualTo("VALIDATION_FAILED");
		}
		var smuggledKey = api.post("/v1/api-keys",
				Map.of("tenant", "x", "role", "ADMIN", "name", "n", "key", "chosen"));
		assertThat(smuggledKey.code()).isEqualTo("VALIDATION_FAILED");
	}

	@Test
	void aQuotaRaceHasExactlyOneWinnerAndEndingASandboxFreesTheSlot() throws Exception {
		var policy = newPolicy(Map.of("maxSandboxesPerTenant", 2));
		var agent = key(tenant(), "AGENT");
		createAs(agent, Map.of("image", IMAGE, "policy", policy));

		var racers = new ArrayList<Future<Api.Response>>();
		try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int i = 0; i < 2; i++) {
				racers.add(pool
					.submit(() -> api.send("POST", "/v1/sandboxes", Map.of("image", IMAGE, "policy", policy), agent)));
			}
		}
		var statuses = new ArrayList<Integer>();
		for (var racer : racers) {
			var response = racer.get();
			statuses.add(response.status());
			if (response.status() == 201) {
				sandboxes.add(response.json().get("id").asString());
			}
			else {
				assertThat(response.code()).isEqualTo("QUOTA_EXCEEDED");
				assertThat(response.header("Retry-After")).isNotEmpty();
			}
		}
		assertThat(statuses).containsExactlyInAnyOrder(201, 429);

		api.send("DELETE", "/v1/sandboxes/" + sandboxes.getFirst(), null, agent);
		createAs(agent, Map.of("image", IMAGE, "policy", policy));
	}

	@Test
	void aKeyOverItsRateLimitGets429WithRetryAfter() {
		try (var limited = SecondInstance.start(database,
				Map.of("airlock.security.rate-limit.burst", "5", "airlock.security.rate-limit.per-second", "1"))) {
			var client = Api.onPort(SecondInstance.port(limited));
			var statuses = new ArrayList<Integer>();
			Api.Response last = null;
			for (int i = 0; i < 8; i++) {
				last = client.get("/v1/policies/default");
				statuses.add(last.status());
			}
			assertThat(statuses.subList(0, 5)).containsOnly(200);
			assertThat(statuses).contains(429);
			assertThat(last.code()).isEqualTo("RATE_LIMITED");
			assertThat(Integer.parseInt(last.header("Retry-After"))).isPositive();
		}
	}

	@Test
	void aFloodOfBadKeysIsRecordedWithoutFloodingTheLog() throws Exception {
		// from a loopback address of its own: another test's bad key from 127.0.0.1 in
		// the last 10 s would have opened that address's window and swallowed this flood
		var address = InetAddress.getByName("127.0.0.%d".formatted(100 + FLOOD_ADDRESSES.getAndIncrement()));
		var http = HttpClient.newBuilder().localAddress(address).connectTimeout(Duration.ofSeconds(5)).build();
		for (int i = 0; i < 50; i++) {
			var request = HttpRequest
				.newBuilder(URI.create(api.uri("/v1/sandboxes").toString().replace("localhost", "127.0.0.1")))
				.header("Authorization", "Bearer alk_bad-key-" + i)
				.build();
			assertThat(http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(401);
		}

		var recorded = events.stream(AuthFailed.class)
			.filter(event -> event.remoteAddress().equals(address.getHostAddress()))
			.toList();
		assertThat(recorded).isNotEmpty().hasSizeLessThanOrEqualTo(2);
		assertThat(recorded.toString()).doesNotContain("bad-key");
	}

}
