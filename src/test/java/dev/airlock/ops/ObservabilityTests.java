package dev.airlock.ops;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.airlock.Api;
import dev.airlock.IntegrationTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Metrics with the contract's names, probes, request ids, and the OpenAPI document,
 * checked by real tools.
 */
class ObservabilityTests extends IntegrationTestSupport {

	String scrape() {
		var response = api.get("/actuator/prometheus");
		assertThat(response.status()).isEqualTo(200);
		return response.body();
	}

	/**
	 * The first scrape that shows {@code series}: the active gauge counts sandboxes every
	 * second in tests (5 s by default).
	 */
	String awaitScrape(String series) {
		return await().atMost(Duration.ofSeconds(10)).until(this::scrape, exposition -> exposition.contains(series));
	}

	@Test
	void theContractsMetricsAreExposedWithFixedTagsOnly() throws Exception {
		var policy = newPolicy(Map.of("deniedCommandPatterns", List.of("^forbidden"), "killOnDeniedCommand", true));
		var id = sandbox(Map.of("policy", policy));
		exec(id, Map.of("command", List.of("true")));
		api.put("/v1/sandboxes/" + id + "/files/content?path=/workspace/f", "bytes");
		var active = "airlock_sandboxes_active{policy=\"" + policy + "\",status=\"RUNNING\"}";
		var whileRunning = awaitScrape(active);
		exec(id, Map.of("command", List.of("forbidden")));

		var metrics = scrape();

		assertThat(whileRunning).contains(active);
		assertThat(metrics).contains("airlock_sandbox_creates_total{outcome=\"success\",policy=\"" + policy + "\"}",
				"airlock_sandboxes_ended_total{reason=\"DENIED_COMMAND\",status=\"KILLED\"}",
				"airlock_sandbox_create_duration_seconds_bucket", "airlock_exec_total{outcome=\"ok\"}",
				"airlock_exec_total{outcome=\"denied\"}", "airlock_exec_duration_seconds_bucket{outcome=\"ok\"",
				"airlock_enforcement_kills_total{reason=\"DENIED_COMMAND\"}",
				"airlock_audit_events_total{type=\"EXEC_FINISHED\"}", "airlock_files_bytes_total{direction=\"upload\"}",
				"airlock_runtime_up 1.0", "airlock_audit_chain_valid");
		assertThat(metrics).doesNotContain("sbx_").doesNotContain("tenant=");
	}

	@Test
	void anEmptyStatusIsZeroNotMissing() {
		var policy = newPolicy(Map.of());
		var series = "airlock_sandboxes_active{policy=\"" + policy + "\",status=\"%s\"} 0.0";

		var exposition = awaitScrape(series.formatted("RUNNING"));

		assertThat(exposition).contains(series.formatted("CREATING"), series.formatted("STOPPING"));
	}

	@Test
	void theExpositionPassesPromtool() throws Exception {
		var promtool = ExternalTool.require("promtool", "AIRLOCK_PROMTOOL");
		var id = sandbox();
		exec(id, Map.of("command", List.of("true")));
		var exposition = awaitScrape("airlock_sandboxes_active{");

		// Airlock's own families: clean, help text and all
		var ours = promtool.run(families(exposition, "airlock_"), "check", "metrics");
		assertThat(ours.exitCode()).as(ours.output()).isZero();
		// everything (Boot's and the JVM's families too): it parses; their style remarks
		// are theirs
		var all = promtool.run(exposition, "check", "metrics");
		assertThat(all.output()).doesNotContainIgnoringCase("error");
	}

	/** The lines of the families whose names start with {@code prefix}. */
	static String families(String exposition, String prefix) {
		var out = new StringBuilder();
		for (var line : exposition.split("\n")) {
			var name = line.startsWith("# ") ? line.split(" ")[2] : line.split("[{ ]")[0];
			if (name.startsWith(prefix)) {
				out.append(line).append('\n');
			}
		}
		return out.toString();
	}

	@Test
	void theDashboardQueriesOnlyMetricsAirlockExposes() throws Exception {
		var dashboard = Files.readString(Path.of("helm/airlock/files/airlock-dashboard.json"));
		sandbox();
		var exposed = awaitScrape("airlock_sandboxes_active{");
		var names = Pattern.compile("airlock_[a-z_]+")
			.matcher(dashboard)
			.results()
			.map(m -> m.group().replaceAll("_(bucket|count|sum)$", ""))
			.distinct()
			.toList();
		assertThat(names).contains("airlock_sandboxes_active", "airlock_enforcement_kills_total");
		// the pools' series need a pool and its claims: PoolMetricsTests shows them
		for (var name : names) {
			if (!name.equals("airlock_runtime_errors_total") && !name.equals("airlock_enforcement_kills_total")
					&& !name.equals("airlock_sandboxes_ended_total") && !name.equals("airlock_files_bytes_total")
					&& !name.startsWith("airlock_pool_")) {
				assertThat(exposed).as(name).contains(name);
			}
		}
	}

	@Test
	void probesAnswerOnTheMainPortToo() {
		for (var path : List.of("/livez", "/readyz", "/actuator/health/liveness", "/actuator/health/readiness")) {
			var response = api.send("GET", path, null, null);
			assertThat(response.status()).as(path).isEqualTo(200);
			assertThat(response.body()).as(path).contains("UP");
		}
	}

	@Test
	void everyResponseCarriesARequestId() {
		var generated = api.get("/v1/policies/default").header("X-Request-Id");
		assertThat(generated).matches("[0-9a-f-]{36}");
		var given = api.send(HttpRequest.newBuilder(api.uri("/v1/nothing"))
			.header("X-Request-Id", "trace-42")
			.header("Authorization", "Bearer " + Api.ADMIN_KEY)
			.build());
		assertThat(given.header("X-Request-Id")).isEqualTo("trace-42");
		var unsafe = api.send(HttpRequest.newBuilder(api.uri("/v1/policies"))
			.header("X-Request-Id", "bad id\twith tab")
			.header("Authorization", "Bearer " + Api.ADMIN_KEY)
			.build());
		assertThat(unsafe.header("X-Request-Id")).doesNotContain("bad");
	}

	@Test
	void theOpenApiDocumentDescribesErrorsAndPassesARealLinter() throws Exception {
		var document = api.send("GET", "/v3/api-docs", null, null).body();
		var json = Api.Response.parse(document);
		assertThat(json.get("components").get("schemas").has("Problem")).isTrue();
		assertThat(json.get("paths").get("/v1/sandboxes").get("post").get("responses").has("409")).isTrue();
		var paths = new ArrayList<String>();
		json.get("paths").propertyNames().forEach(paths::add);
		assertThat(paths).contains("/v1/sandboxes/{id}/timeout", "/v1/sandboxes/{id}/stats", "/v1/sandboxes/{id}/logs",
				"/v1/admin/halt", "/v1/api-keys", "/v1/api-keys/{id}", "/v1/audit-events", "/v1/audit-events/verify",
				"/v1/audit-events/export");

		var redocly = ExternalTool.require("redocly", "AIRLOCK_REDOCLY");
		var file = Files.createTempFile("airlock-openapi-", ".json");
		Files.writeString(file, document);
		var config = Files.createTempFile("redocly-", ".yaml");
		// the recommended ruleset, less the rules that want marketing metadata (license,
		// servers' real host)
		Files.writeString(config, """
				extends: [recommended]
				rules:
				  info-license: off
				  info-license-url: off
				  no-server-example.com: off
				  operation-4xx-response: error
				""");
		var result = redocly.run(null, "lint", "--config", config.toString(), file.toString());
		assertThat(result.exitCode()).as(result.output()).isZero();
	}

}
