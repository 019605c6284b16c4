package dev.airlock.pool;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.airlock.Api;
import dev.airlock.IntegrationTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /v1/pools}: create, read, list, replace and delete, who may, what is refused,
 * and the audit of each change; and {@code source} on every sandbox.
 */
class PoolApiTests extends IntegrationTestSupport {

	@Autowired
	PoolSettings settings;

	Map<String, Object> pool(String name, String policy, int size) {
		var body = new HashMap<String, Object>();
		body.put("name", name);
		body.put("policy", policy);
		body.put("image", IMAGE);
		body.put("size", size);
		return body;
	}

	Api.Response create(Map<String, ?> body, String key) {
		return api.send("POST", "/v1/pools", body, key);
	}

	@Test
	void aPoolIsCreatedReadListedReplacedAndDeletedEachChangeAudited() {
		var name = uniqueName("pool");
		var policy = newPolicy(Map.of());

		var created = create(pool(name, policy, 0), Api.ADMIN_KEY);
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		assertThat(created.header("Location")).endsWith("/v1/pools/" + name);
		var json = created.json();
		assertThat(json.get("name").asString()).isEqualTo(name);
		assertThat(json.get("policy").asString()).isEqualTo(policy);
		assertThat(json.get("image").asString()).isEqualTo(IMAGE);
		assertThat(json.get("size").asInt()).isZero();
		assertThat(json.get("ready").asInt()).isZero();
		assertThat(json.get("starting").asInt()).isZero();
		assertThat(json.get("claimed").asLong()).isZero();
		assertThat(json.get("lastError").isNull()).isTrue();

		var read = api.get("/v1/pools/" + name);
		assertThat(read.status()).isEqualTo(200);
		assertThat(read.json().get("policy").asString()).isEqualTo(policy);
		var names = new ArrayList<String>();
		var list = api.get("/v1/pools?size=500").json();
		list.get("items").forEach(item -> names.add(item.get("name").asString()));
		assertThat(names).contains(name);
		assertThat(list.get("totalItems").asLong()).isGreaterThanOrEqualTo(1);
		assertThat(list.get("size").asInt()).isEqualTo(500);

		var other = newPolicy(Map.of());
		var replaced = api.put("/v1/pools/" + name, Map.of("policy", other, "image", "busybox:1.36", "size", 0));
		assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
		assertThat(replaced.json().get("policy").asString()).isEqualTo(other);
		assertThat(api.get("/v1/pools/" + name).json().get("image").asString()).isEqualTo("busybox:1.36");

		assertThat(api.delete("/v1/pools/" + name).status()).isEqualTo(204);
		var gone = api.get("/v1/pools/" + name);
		assertThat(gone.status()).isEqualTo(404);
		assertThat(gone.code()).isEqualTo("NOT_FOUND");
		var again = api.delete("/v1/pools/" + name);
		assertThat(again.status()).isEqualTo(404);
		assertThat(again.code()).isEqualTo("NOT_FOUND");

		var audited = jdbc.queryForList(
				"""
						select type, data from audit_events where type like 'POOL_%' and data::jsonb ->> 'name' = ? order by seq""",
				name);
		assertThat(audited).extracting(row -> row.get("type"))
			.containsExactly("POOL_CREATED", "POOL_UPDATED", "POOL_DELETED");
		var updated = Api.Response.parse(audited.get(1).get("data").toString());
		assertThat(updated.get("policy").asString()).isEqualTo(other);
		assertThat(updated.get("image").asString()).isEqualTo("busybox:1.36");
		assertThat(updated.get("size").asInt()).isZero();
	}

	@Test
	void adminAndOperatorManagePoolsAgentAndMetricsMayNotAndNoKeyIs401() {
		var tenant = uniqueName("t");
		var operator = apiKey(tenant, "OPERATOR");
		var name = uniqueName("pool");

		assertThat(create(pool(name, "default", 0), operator).status()).isEqualTo(201);
		assertThat(api.send("GET", "/v1/pools/" + name, null, operator).status()).isEqualTo(200);
		assertThat(api.send("GET", "/v1/pools", null, operator).status()).isEqualTo(200);
		for (var role : List.of("AGENT", "METRICS")) {
			var key = apiKey(tenant, role);
			for (var call : List.of(create(pool(uniqueName("pool"), "default", 0), key),
					api.send("GET", "/v1/pools", null, key), api.send("GET", "/v1/pools/" + name, null, key),
					api.send("PUT", "/v1/pools/" + name, pool(name, "default", 0), key),
					api.send("DELETE", "/v1/pools/" + name, null, key))) {
				assertThat(call.status()).as(role + ": " + call.body()).isEqualTo(403);
				assertThat(call.code()).isEqualTo("FORBIDDEN");
			}
		}
		assertThat(api.send("GET", "/v1/pools", null, null).status()).isEqualTo(401);
		assertThat(create(pool(uniqueName("pool"), "default", 0), null).status()).isEqualTo(401);
		assertThat(
				api.send("PUT", "/v1/pools/" + name, Map.of("policy", "default", "image", IMAGE, "size", 0), operator)
					.status())
			.isEqualTo(200);
		assertThat(api.send("DELETE", "/v1/pools/" + name, null, operator).status()).isEqualTo(204);
	}

	@Test
	void aBadPoolIs400NamingEachBadField() {
		record Case(Map<String, Object> body, List<String> fields) {
		}
		var good = pool(uniqueName("pool"), "default", 0);
		var cases = new ArrayList<Case>();
		cases.add(new Case(Map.of(), List.of("policy", "image", "size")));
		cases.add(new Case(with(good, "name", "Not_A_Name"), List.of("name")));
		cases.add(new Case(with(good, "image", "UPPER CASE"), List.of("image")));
		cases.add(new Case(with(good, "size", -1), List.of("size")));
		cases.add(new Case(with(good, "size", settings.maxSize() + 1), List.of("size")));
		cases.add(new Case(with(good, "size", "many"), List.of("size")));
		cases.add(new Case(with(good, "policy", "-bad"), List.of("policy")));
		cases.add(new Case(with(good, "warm", true), List.of("warm")));
		var noName = new HashMap<>(good);
		noName.remove("name");
		cases.add(new Case(noName, List.of("name")));
		for (var bad : cases) {
			var response = create(bad.body(), Api.ADMIN_KEY);
			assertThat(response.status()).as(bad.body() + ": " + response.body()).isEqualTo(400);
			assertThat(response.code()).isEqualTo("VALIDATION_FAILED");
			var fields = new ArrayList<String>();
			response.json().get("errors").forEach(error -> fields.add(error.get("field").asString()));
			assertThat(fields).as(bad.body().toString()).containsExactlyInAnyOrderElementsOf(bad.fields());
		}
		assertThat(api.get("/v1/pools/" + good.get("name")).status()).isEqualTo(404);

		var name = uniqueName("pool");
		assertThat(create(pool(name, "default", 0), Api.ADMIN_KEY).status()).isEqualTo(201);
		var otherName = api.put("/v1/pools/" + name, with(pool(name, "default", 0), "name", uniqueName("pool")));
		assertThat(otherName.status()).as(otherName.body()).isEqualTo(400);
		assertThat(otherName.json().get("errors").get(0).get("field").asString()).isEqualTo("name");
		var missing = api.put("/v1/pools/" + uniqueName("pool"),
				Map.of("policy", "default", "image", IMAGE, "size", 0));
		assertThat(missing.status()).isEqualTo(404);
		assertThat(missing.code()).isEqualTo("NOT_FOUND");
	}

	@Test
	void aDuplicateNameAnUnknownPolicyAndAnImageThePolicyRefusesAreRefusedWithTheirCodes() {
		var name = uniqueName("pool");
		assertThat(create(pool(name, "default", 1), Api.ADMIN_KEY).status()).isEqualTo(201);
		var duplicate = create(pool(name, "default", 0), Api.ADMIN_KEY);
		assertThat(duplicate.status()).as(duplicate.body()).isEqualTo(400);
		assertThat(duplicate.code()).isEqualTo("VALIDATION_FAILED");
		assertThat(duplicate.json().get("errors").get(0).get("field").asString()).isEqualTo("name");
		assertThat(api.get("/v1/pools/" + name).json().get("size").asInt()).isEqualTo(1);

		var noPolicy = create(pool(uniqueName("pool"), uniqueName("p"), 0), Api.ADMIN_KEY);
		assertThat(noPolicy.status()).as(noPolicy.body()).isEqualTo(404);
		assertThat(noPolicy.code()).isEqualTo("POLICY_NOT_FOUND");

		var policy = newPolicy(Map.of("allowedImages", List.of("python:*")));
		var refused = create(pool(uniqueName("pool"), policy, 0), Api.ADMIN_KEY);
		assertThat(refused.status()).as(refused.body()).isEqualTo(403);
		assertThat(refused.code()).isEqualTo("IMAGE_NOT_ALLOWED");
		var refusedUpdate = api.put("/v1/pools/" + name, Map.of("policy", policy, "image", IMAGE, "size", 0));
		assertThat(refusedUpdate.code()).isEqualTo("IMAGE_NOT_ALLOWED");
		assertThat(api.get("/v1/pools/" + name).json().get("policy").asString()).isEqualTo("default");
		assertThat(api.delete("/v1/pools/" + name).status()).isEqualTo(204);
	}

	@Test
	void aSandboxStartedByItsOwnCreateIsCold() {
		var id = sandbox();
		assertThat(sandboxJson(id).get("source").asString()).isEqualTo("COLD");
		var listed = new ArrayList<String>();
		api.get("/v1/sandboxes?size=500")
			.json()
			.get("items")
			.forEach(item -> listed.add(item.get("id").asString() + "=" + item.get("source").asString()));
		assertThat(listed).contains(id + "=COLD");
	}

	private static Map<String, Object> with(Map<String, Object> body, String field, Object value) {
		var changed = new HashMap<>(body);
		changed.put(field, value);
		return changed;
	}

}
