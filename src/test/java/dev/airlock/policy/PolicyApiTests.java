package dev.airlock.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import dev.airlock.Api;
import dev.airlock.IntegrationTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PolicyApiTests extends IntegrationTestSupport {

	@Test
	void theDefaultPolicyExistsWithSafeValues() {
		var response = api.get("/v1/policies/default");

		assertThat(response.status()).isEqualTo(200);
		var policy = response.json();
		assertThat(policy.get("network").asString()).isEqualTo("NONE");
		assertThat(policy.get("readOnlyRootfs").asBoolean()).isTrue();
		assertThat(policy.get("runAsUser").asString()).isEqualTo("1000:1000");
		assertThat(policy.get("writablePaths")).extracting(n -> n.asString()).containsExactly("/workspace", "/tmp");
		assertThat(policy.get("tenants")).as("granted to every tenant").isEmpty();
		for (var field : List.of("name", "description", "allowedImages", "defaultTtlSeconds", "maxTtlSeconds",
				"idleTimeoutSeconds", "cpus", "memoryMb", "pidsLimit", "diskMb", "network", "egressAllowlist",
				"readOnlyRootfs", "writablePaths", "runAsUser", "maxExecSeconds", "maxOutputBytes", "maxUploadBytes",
				"deniedCommandPatterns", "cpuBudgetSeconds", "maxSandboxesPerTenant", "runtime", "tenants",
				"version")) {
			assertThat(policy.has(field)).as(field).isTrue();
		}
		var list = api.get("/v1/policies?size=500").json();
		assertThat(list.get("items")).extracting(n -> n.get("name").asString()).contains("default");
		assertThat(list.get("totalItems").asLong()).isPositive();
	}

	@Test
	void createReadUpdateDelete() {
		var name = uniqueName("p");

		var created = api.post("/v1/policies",
				Map.of("name", name, "memoryMb", 128, "allowedImages", List.of("busybox:*")));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		assertThat(created.header("Location")).endsWith("/v1/policies/" + name);
		assertThat(created.json().get("version").asInt()).isEqualTo(1);
		assertThat(created.json().get("memoryMb").asInt()).isEqualTo(128);
		// left out: the safe default
		assertThat(created.json().get("network").asString()).isEqualTo("NONE");

		var duplicate = api.post("/v1/policies", Map.of("name", name));
		assertThat(duplicate.status()).isEqualTo(409);
		assertThat(duplicate.code()).isEqualTo("POLICY_EXISTS");

		var updated = api.put("/v1/policies/" + name, Map.of("memoryMb", 256, "allowedImages", List.of("busybox:*")));
		assertThat(updated.status()).as(updated.body()).isEqualTo(200);
		assertThat(updated.json().get("version").asInt()).isEqualTo(2);
		assertThat(api.get("/v1/policies/" + name).json().get("memoryMb").asInt()).isEqualTo(256);

		assertThat(api.delete("/v1/policies/" + name).status()).isEqualTo(204);
		var gone = api.get("/v1/policies/" + name);
		assertThat(gone.status()).isEqualTo(404);
		assertThat(gone.code()).isEqualTo("POLICY_NOT_FOUND");
		assertThat(api.delete("/v1/policies/" + name).status()).isEqualTo(404);

		// the name can be used again; versions keep counting so (name, version) stays
		// unique
		var again = api.post("/v1/policies", Map.of("name", name));
		assertThat(again.json().get("version").asInt()).isEqualTo(3);
	}

	@Test
	void theDefaultPolicyCannotBeDeleted() {
		var response = api.delete("/v1/policies/default");

		assertThat(response.status()).isEqualTo(409);
		assertThat(response.code()).isEqualTo("POLICY_PROTECTED");
		assertThat(api.get("/v1/policies/default").status()).isEqualTo(200);
	}

	@Test
	void aPutWithAnotherNameInTheBodyIsRefused() {
		var name = newPolicy(Map.of());

		var response = api.put("/v1/policies/" + name, Map.of("name", "something-else"));

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo("name");
	}

	@Test
	void everyBadFieldIsNamed() {
		var body = new HashMap<String, Object>();
		body.put("name", "Bad Name!");
		body.put("cpus", -1);
		body.put("memoryMb", 0);
		body.put("pidsLimit", 100_000_000);
		body.put("maxTtlSeconds", -3);
		body.put("runAsUser", "0:0");
		body.put("allowedImages", List.of());

		var response = api.post("/v1/policies", body);

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.code()).isEqualTo("VALIDATION_FAILED");
		assertThat(fields(response)).contains("name", "cpus", "memoryMb", "pidsLimit", "maxTtlSeconds", "runAsUser",
				"allowedImages");
	}

	@Test
	void rulesAcrossFieldsAreCheckedToo() {
		var response = api.post("/v1/policies",
				Map.of("name", uniqueName("p"), "defaultTtlSeconds", 600, "maxTtlSeconds", 60, "writablePaths",
						List.of("relative", "/work/../etc", "/proc/x", "/a", "/a/b"), "deniedCommandPatterns",
						List.of("(unclosed"), "runtime", "runsc"));

		assertThat(response.status()).isEqualTo(400);
		assertThat(fields(response)).contains("defaultTtlSeconds", "writablePaths[0]", "writablePaths[1]",
				"writablePaths[2]", "writablePaths[4]", "deniedCommandPatterns[0]", "runtime");
	}

	@Test
	void aSandboxKeepsThePolicyVersionItWasCreatedWith() {
		var name = newPolicy(Map.of("memoryMb", 64));
		var first = api.createSandbox(Map.of("image", IMAGE, "policy", name)).json();
		assertThat(first.get("policyVersion").asInt()).isEqualTo(1);

		api.put("/v1/policies/" + name, Map.of("memoryMb", 128, "allowedImages", List.of("busybox:*")));
		var second = api.createSandbox(Map.of("image", IMAGE, "policy", name)).json();

		var firstAgain = api.get("/v1/sandboxes/" + first.get("id").asString()).json();
		assertThat(firstAgain.get("policyVersion").asInt()).isEqualTo(1);
		assertThat(firstAgain.get("resources").get("memoryMb").asInt()).isEqualTo(64);
		assertThat(docker.inspect(first.get("id").asString()).getHostConfig().getMemory()).isEqualTo(64L << 20);
		assertThat(second.get("policyVersion").asInt()).isEqualTo(2);
		assertThat(docker.inspect(second.get("id").asString()).getHostConfig().getMemory()).isEqualTo(128L << 20);

		// deleting the policy leaves its sandboxes readable, pinned to what they had
		assertThat(api.delete("/v1/policies/" + name).status()).isEqualTo(204);
		assertThat(api.get("/v1/sandboxes/" + first.get("id").asString()).json().get("policy").asString())
			.isEqualTo(name);
	}

	@Test
	void allowedImagesAreGlobs() {
		var name = newPolicy(Map.of("allowedImages", List.of("busybox:1.3?")));

		assertThat(api.createSandbox(Map.of("image", IMAGE, "policy", name)).status()).isEqualTo(201);
		var refused = api.createSandbox(Map.of("image", "busybox:1.4", "policy", name));
		assertThat(refused.code()).isEqualTo("IMAGE_NOT_ALLOWED");
	}

	Api.Response createAs(String key, String policy) {
		return api.createSandbox(Map.of("image", IMAGE, "policy", policy), key);
	}

	@Test
	void aPolicyGrantedToSomeTenantsRefusesEveryOtherWith403() {
		var trusted = uniqueName("t");
		var stranger = uniqueName("t");
		var trustedKey = apiKey(trusted, "AGENT");
		var strangerKey = apiKey(stranger, "AGENT");
		var name = newPolicy(Map.of("tenants", List.of(trusted, "someone-else")));
		assertThat(api.get("/v1/policies/" + name).json().get("tenants")).extracting(n -> n.asString())
			.containsExactly(trusted, "someone-else");

		var refused = createAs(strangerKey, name);
		assertThat(refused.status()).as(refused.body()).isEqualTo(403);
		assertThat(refused.code()).isEqualTo("POLICY_NOT_ALLOWED");
		assertThat(refused.json().get("detail").asString()).contains(name).doesNotContain(trusted);
		assertThat(jdbc.queryForObject("select count(*) from sandboxes where tenant = ?", Long.class, stranger))
			.isZero();
		var allowed = createAs(trustedKey, name);
		assertThat(allowed.status()).as(allowed.body()).isEqualTo(201);
		// the grant binds every caller's own tenant, an admin's too
		assertThat(api.createSandbox(Map.of("image", IMAGE, "policy", name)).code()).isEqualTo("POLICY_NOT_ALLOWED");
	}

	@Test
	void anAgentKeySeesOfAGrantOnlyItsOwnTenant() {
		var trusted = uniqueName("t");
		var other = uniqueName("t");
		var name = newPolicy(Map.of("tenants", List.of(trusted, other)));

		var read = api.send("GET", "/v1/policies/" + name, null, apiKey(trusted, "AGENT"));
		assertThat(read.status()).as(read.body()).isEqualTo(200);
		assertThat(read.json().get("tenants")).extracting(n -> n.asString()).containsExactly(trusted);
		var stranger = apiKey(uniqueName("t"), "AGENT");
		var listed = api.send("GET", "/v1/policies?size=100", null, stranger);
		assertThat(listed.body()).doesNotContain(trusted).doesNotContain(other);
		assertThat(api.send("GET", "/v1/policies/" + name, null, stranger).json().get("tenants")).isEmpty();
		// an operator sees the whole grant
		assertThat(api.send("GET", "/v1/policies/" + name, null, apiKey(trusted, "OPERATOR")).json().get("tenants"))
			.extracting(n -> n.asString())
			.containsExactly(trusted, other);
	}

	@Test
	void anEmptyGrantIsEveryTenantAndAnUpdateChangesTheGrantForNewSandboxesOnly() {
		var first = uniqueName("t");
		var second = uniqueName("t");
		var firstKey = apiKey(first, "AGENT");
		var secondKey = apiKey(second, "AGENT");
		var name = newPolicy(Map.of("tenants", List.of()));
		var underVersionOne = createAs(firstKey, name);
		assertThat(underVersionOne.status()).isEqualTo(201);
		assertThat(createAs(secondKey, name).status()).isEqualTo(201);

		var updated = api.put("/v1/policies/" + name,
				Map.of("allowedImages", List.of("busybox:*"), "tenants", List.of(second)));
		assertThat(updated.status()).as(updated.body()).isEqualTo(200);
		assertThat(updated.json().get("version").asInt()).isEqualTo(2);
		assertThat(updated.json().get("tenants")).extracting(n -> n.asString()).containsExactly(second);

		assertThat(createAs(firstKey, name).code()).isEqualTo("POLICY_NOT_ALLOWED");
		assertThat(createAs(secondKey, name).status()).isEqualTo(201);
		// the sandbox made under version 1 keeps running
		assertThat(status(underVersionOne.json().get("id").asString())).isEqualTo("RUNNING");

		// left out of an update: every tenant again
		api.put("/v1/policies/" + name, Map.of("allowedImages", List.of("busybox:*")));
		assertThat(createAs(firstKey, name).status()).isEqualTo(201);
	}

	@Test
	void grantedTenantsMustBeTenantNames() {
		var response = api.post("/v1/policies",
				Map.of("name", uniqueName("p"), "tenants", List.of("team-a", "not a tenant!", "")));

		assertThat(response.status()).as(response.body()).isEqualTo(400);
		assertThat(response.code()).isEqualTo("VALIDATION_FAILED");
		assertThat(fields(response)).allMatch(field -> field.startsWith("tenants")).isNotEmpty();
	}

	@Test
	void anEgressAllowlistIsStoredInItsCanonicalForm() {
		var name = uniqueName("p");

		var created = api.post("/v1/policies",
				Map.of("name", name, "network", "EGRESS", "egressAllowlist", List.of("PyPI.org",
						"*.GitHubUserContent.com", "203.0.113.7/24:8443", "[2001:DB8::/32]:443", "pypi.org.", "*")));

		assertThat(created.status()).as(created.body()).isEqualTo(201);
		for (var policy : List.of(created.json(), api.get("/v1/policies/" + name).json())) {
			assertThat(policy.get("network").asString()).isEqualTo("EGRESS");
			assertThat(policy.get("egressAllowlist")).extracting(n -> n.asString())
				.containsExactly("pypi.org", "*.githubusercontent.com", "203.0.113.0/24:8443", "[2001:db8::/32]:443",
						"*");
		}
		var updated = api.put("/v1/policies/" + name, Map.of("network", "EGRESS", "egressAllowlist", List.of()));
		assertThat(updated.status()).as(updated.body()).isEqualTo(200);
		assertThat(updated.json().get("egressAllowlist")).isEmpty();
		assertThat(updated.json().get("network").asString()).isEqualTo("EGRESS");
	}

	@Test
	void eachBadEgressEntryIsNamed() {
		var response = api.post("/v1/policies",
				Map.of("name", uniqueName("p"), "network", "EGRESS", "egressAllowlist",
						List.of("pypi.org", "http://allowed@evil/", "2130706433", "*.", "fe80::1%eth0",
								"allowed.com:443@evil", "b\u00fccher.example", "pypi.org:0")));

		assertThat(response.status()).as(response.body()).isEqualTo(400);
		assertThat(response.code()).isEqualTo("VALIDATION_FAILED");
		assertThat(fields(response)).containsExactlyInAnyOrder("egressAllowlist[1]", "egressAllowlist[2]",
				"egressAllowlist[3]", "egressAllowlist[4]", "egressAllowlist[5]", "egressAllowlist[6]",
				"egressAllowlist[7]");
		assertThat(response.body()).contains("must be");

		var blank = api.post("/v1/policies",
				Map.of("name", uniqueName("p"), "network", "EGRESS", "egressAllowlist", List.of("pypi.org", " ")));
		assertThat(blank.status()).isEqualTo(400);
		assertThat(fields(blank)).containsExactly("egressAllowlist[1]");
		var tooMany = new ArrayList<String>();
		for (int i = 0; i <= 100; i++) {
			tooMany.add("host" + i + ".example.com");
		}
		var many = api.post("/v1/policies",
				Map.of("name", uniqueName("p"), "network", "EGRESS", "egressAllowlist", tooMany));
		assertThat(many.status()).isEqualTo(400);
		assertThat(fields(many)).containsExactly("egressAllowlist");
	}

	@Test
	void anAllowlistNeedsNetworkEgress() {
		var none = api.post("/v1/policies", Map.of("name", uniqueName("p"), "egressAllowlist", List.of("pypi.org")));

		assertThat(none.status()).as(none.body()).isEqualTo(400);
		assertThat(none.code()).isEqualTo("VALIDATION_FAILED");
		assertThat(none.json().get("errors").get(0).get("field").asString()).isEqualTo("egressAllowlist");
		assertThat(none.json().get("errors").get(0).get("message").asString()).isEqualTo("needs network EGRESS");
		var bridge = api.post("/v1/policies",
				Map.of("name", uniqueName("p"), "network", "BRIDGE", "egressAllowlist", List.of("pypi.org")));
		assertThat(bridge.status()).as(bridge.body()).isEqualTo(400);
		assertThat(fields(bridge)).containsExactly("egressAllowlist");
	}

	@Test
	void bridgeIsStillAcceptedAndReturnedAsGiven() {
		var name = uniqueName("p");

		var created = api.post("/v1/policies", Map.of("name", name, "network", "BRIDGE"));

		assertThat(created.status()).as(created.body()).isEqualTo(201);
		assertThat(created.json().get("network").asString()).isEqualTo("BRIDGE");
		assertThat(created.json().get("egressAllowlist")).isEmpty();
		assertThat(created.json().has("egressRules")).as("an internal reading, not a field").isFalse();
		assertThat(api.get("/v1/policies/" + name).json().get("network").asString()).isEqualTo("BRIDGE");
		var unknown = api.post("/v1/policies", Map.of("name", uniqueName("p"), "network", "HOST"));
		assertThat(unknown.status()).as(unknown.body()).isEqualTo(400);
	}

	private static HashSet<String> fields(Api.Response response) {
		var fields = new HashSet<String>();
		response.json().get("errors").forEach(error -> fields.add(error.get("field").asString()));
		return fields;
	}

}
