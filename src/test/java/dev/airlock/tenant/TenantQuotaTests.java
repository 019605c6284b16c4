package dev.airlock.tenant;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.airlock.Api;
import dev.airlock.IntegrationTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /v1/tenants/{tenant}/quota}, and a tenant's {@code maxSandboxes} counted over
 * all its sandboxes, whatever their policy.
 */
class TenantQuotaTests extends IntegrationTestSupport {

	@Autowired
	TenantSettings defaults;

	Api.Response quota(String tenant, String key) {
		return api.send("GET", "/v1/tenants/" + tenant + "/quota", null, key);
	}

	Api.Response setQuota(String tenant, Object body, String key) {
		return api.send("PUT", "/v1/tenants/" + tenant + "/quota", body, key);
	}

	void limit(String tenant, int maxSandboxes) {
		var response = setQuota(tenant, Map.of("maxSandboxes", maxSandboxes, "maxConcurrentUploads", 2), Api.ADMIN_KEY);
		assertThat(response.status()).as(response.body()).isEqualTo(200);
	}

	Api.Response create(String key, String policy) {
		return api.createSandbox(Map.of("image", IMAGE, "policy", policy), key);
	}

	@Test
	void aTenantWithoutAQuotaHasTheConfiguredDefaultsUntilAnAdminSetsOneWhichIsAudited() {
		var tenant = uniqueName("t");

		var fresh = quota(tenant, Api.ADMIN_KEY);
		assertThat(fresh.status()).as(fresh.body()).isEqualTo(200);
		assertThat(fresh.json().get("tenant").asString()).isEqualTo(tenant);
		assertThat(fresh.json().get("maxSandboxes").asInt()).isEqualTo(defaults.maxSandboxes());
		assertThat(fresh.json().get("maxConcurrentUploads").asInt()).isEqualTo(defaults.maxConcurrentUploads());

		var set = setQuota(tenant, Map.of("tenant", tenant, "maxSandboxes", 7, "maxConcurrentUploads", 3),
				Api.ADMIN_KEY);
		assertThat(set.status()).as(set.body()).isEqualTo(200);
		assertThat(quota(tenant, Api.ADMIN_KEY).json().get("maxSandboxes").asInt()).isEqualTo(7);
		assertThat(setQuota(tenant, Map.of("maxSandboxes", 9, "maxConcurrentUploads", 1), Api.ADMIN_KEY).status())
			.isEqualTo(200);
		var changed = quota(tenant, Api.ADMIN_KEY).json();
		assertThat(changed.get("maxSandboxes").asInt()).isEqualTo(9);
		assertThat(changed.get("maxConcurrentUploads").asInt()).isEqualTo(1);

		var audited = jdbc.queryForList(
				"select data from audit_events where type = 'QUOTA_UPDATED' and tenant = ? order by seq", String.class,
				tenant);
		assertThat(audited).hasSize(2);
		assertThat(Api.Response.parse(audited.get(1)).get("maxSandboxes").asInt()).isEqualTo(9);
		assertThat(Api.Response.parse(audited.get(1)).get("maxConcurrentUploads").asInt()).isEqualTo(1);
	}

	@Test
	void adminSetsOperatorReadsAndAnAgentReadsOnlyItsOwnTenantsQuota() {
		var tenant = uniqueName("t");
		var other = uniqueName("t");
		var body = Map.of("maxSandboxes", 5, "maxConcurrentUploads", 2);
		var operator = apiKey(tenant, "OPERATOR");
		var agent = apiKey(tenant, "AGENT");
		var metrics = apiKey(tenant, "METRICS");

		assertThat(setQuota(tenant, body, operator).status()).isEqualTo(403);
		assertThat(setQuota(tenant, body, agent).status()).isEqualTo(403);
		assertThat(setQuota(tenant, body, metrics).status()).isEqualTo(403);
		assertThat(setQuota(tenant, body, Api.ADMIN_KEY).status()).isEqualTo(200);

		assertThat(quota(tenant, operator).status()).isEqualTo(200);
		assertThat(quota(other, operator).status()).isEqualTo(200);
		assertThat(quota(tenant, agent).json().get("maxSandboxes").asInt()).isEqualTo(5);
		var anotherTenants = quota(other, agent);
		assertThat(anotherTenants.status()).isEqualTo(404);
		assertThat(anotherTenants.code()).isEqualTo("NOT_FOUND");
		var metricsRead = quota(tenant, metrics);
		assertThat(metricsRead.status()).isEqualTo(403);
		assertThat(metricsRead.code()).isEqualTo("FORBIDDEN");
		assertThat(quota(tenant, null).status()).isEqualTo(401);
	}

	@Test
	void aBadQuotaIs400NamingEachBadField() {
		var tenant = uniqueName("t");
		record Case(Map<String, Object> body, List<String> fields) {
		}
		var cases = List.of(
				new Case(Map.of("maxSandboxes", 0, "maxConcurrentUploads", -1),
						List.of("maxSandboxes", "maxConcurrentUploads")),
				new Case(Map.of("maxSandboxes", 10001, "maxConcurrentUploads", 10001),
						List.of("maxSandboxes", "maxConcurrentUploads")),
				new Case(Map.of("maxSandboxes", 5), List.of("maxConcurrentUploads")),
				new Case(Map.of("maxSandboxes", 5, "maxConcurrentUploads", 1, "tenant", "someone-else"),
						List.of("tenant")),
				new Case(Map.of("maxSandboxes", 5, "maxConcurrentUploads", 1, "maxCpus", 4), List.of("maxCpus")),
				new Case(Map.of("maxSandboxes", "many", "maxConcurrentUploads", 1), List.of("maxSandboxes")));
		for (var bad : cases) {
			var response = setQuota(tenant, bad.body(), Api.ADMIN_KEY);
			assertThat(response.status()).as(bad.body() + ": " + response.body()).isEqualTo(400);
			assertThat(response.code()).isEqualTo("VALIDATION_FAILED");
			var fields = new ArrayList<String>();
			response.json().get("errors").forEach(error -> fields.add(error.get("field").asString()));
			assertThat(fields).as(bad.body().toString()).containsExactlyInAnyOrderElementsOf(bad.fields());
		}
		var badTenant = setQuota("-nope", Map.of("maxSandboxes", 5, "maxConcurrentUploads", 1), Api.ADMIN_KEY);
		assertThat(badTenant.status()).as(badTenant.body()).isEqualTo(400);
		assertThat(badTenant.code()).isEqualTo("VALIDATION_FAILED");
		assertThat(quota(tenant, Api.ADMIN_KEY).json().get("maxSandboxes").asInt()).isEqualTo(defaults.maxSandboxes());
	}

	@Test
	void theTenantsCapCountsItsSandboxesUnderEveryPolicy() {
		var tenant = uniqueName("t");
		var agent = apiKey(tenant, "AGENT");
		var first = newPolicy(Map.of("maxSandboxesPerTenant", 5));
		var second = newPolicy(Map.of("maxSandboxesPerTenant", 5));
		limit(tenant, 2);

		var underFirst = create(agent, first);
		assertThat(underFirst.status()).isEqualTo(201);
		assertThat(create(agent, second).status()).isEqualTo(201);
		for (var policy : List.of(first, second, "default")) {
			var refused = create(agent, policy);
			assertThat(refused.status()).as(policy + ": " + refused.body()).isEqualTo(429);
			assertThat(refused.code()).isEqualTo("QUOTA_EXCEEDED");
			assertThat(refused.json().get("limit").asString()).isEqualTo("tenant.maxSandboxes");
			assertThat(refused.json().get("detail").asString()).contains("maxSandboxes");
			assertThat(refused.header("Retry-After")).isNotEmpty();
		}

		// ending one frees a slot, under any policy
		var id = underFirst.json().get("id").asString();
		assertThat(api.send("DELETE", "/v1/sandboxes/" + id, null, agent).status()).isEqualTo(204);
		assertThat(create(agent, second).status()).isEqualTo(201);
	}

	@Test
	void thePolicysCapStillAppliesInsideTheTenants() {
		var tenant = uniqueName("t");
		var agent = apiKey(tenant, "AGENT");
		var narrow = newPolicy(Map.of("maxSandboxesPerTenant", 1));
		limit(tenant, 3);

		assertThat(create(agent, narrow).status()).isEqualTo(201);
		var refused = create(agent, narrow);
		assertThat(refused.status()).as(refused.body()).isEqualTo(429);
		assertThat(refused.code()).isEqualTo("QUOTA_EXCEEDED");
		assertThat(refused.json().get("limit").asString()).isEqualTo("policy.maxSandboxesPerTenant");
		assertThat(create(agent, "default").status()).isEqualTo(201);
	}

	@Test
	void createsRacingForTheLastSlotUnderDifferentPoliciesHaveExactlyOneWinner() throws Exception {
		var tenant = uniqueName("t");
		var agent = apiKey(tenant, "AGENT");
		var policies = List.of(newPolicy(Map.of("maxSandboxesPerTenant", 10)),
				newPolicy(Map.of("maxSandboxesPerTenant", 10)), newPolicy(Map.of("maxSandboxesPerTenant", 10)));
		limit(tenant, 2);
		assertThat(create(agent, policies.getFirst()).status()).isEqualTo(201);

		var racers = new ArrayList<Future<Api.Response>>();
		try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int i = 0; i < 6; i++) {
				var policy = policies.get(i % policies.size());
				racers.add(pool.submit(() -> create(agent, policy)));
			}
		}
		var statuses = new HashMap<Integer, Integer>();
		for (var racer : racers) {
			var response = racer.get();
			statuses.merge(response.status(), 1, Integer::sum);
			if (response.status() != 201) {
				assertThat(response.code()).as(response.body()).isEqualTo("QUOTA_EXCEEDED");
			}
		}
		assertThat(statuses).containsExactlyInAnyOrderEntriesOf(Map.of(201, 1, 429, 5));
		var live = api.get("/v1/sandboxes?size=500&tenant=" + tenant + "&status=RUNNING").json();
		assertThat(live.get("totalItems").asLong()).isEqualTo(2);
	}

}
