package dev.airlock.egress;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;

import dev.airlock.IntegrationTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The gateway's decisions as records: counts per minute in the table, one audit event per
 * sandbox, destination, port, decision and minute, the cap on destinations, the listing,
 * the metric. The gateway itself is not involved: the tests record decisions as it does.
 */
class EgressDecisionsTests extends IntegrationTestSupport {

	@Autowired
	EgressDecisions decisions;

	@Autowired
	EgressAudit audit;

	@Autowired
	Clock clock;

	/**
	 * A minute no scheduled audit reaches while a test runs: its decisions are audited
	 * when the test says.
	 */
	Instant futureMinute() {
		return clock.instant().plus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.MINUTES);
	}

	List<JsonNode> egressEvents(String sandboxId) {
		var found = new ArrayList<JsonNode>();
		api.get("/v1/audit-events?size=500&sandboxId=" + sandboxId).json().get("items").forEach(event -> {
			if (event.get("type").asString().startsWith("EGRESS_")) {
				found.add(event);
			}
		});
		return found;
	}

	JsonNode egress(String sandboxId, String query) {
		var response = api.get("/v1/sandboxes/" + sandboxId + "/egress" + query);
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return response.json();
	}

	@Test
	void aMinutesDecisionsBecomeOneAuditEventEachWithTheirCountAndLateCountsAnother() {
		var id = sandbox();
		var minute = futureMinute();
		for (int i = 0; i < 7; i++) {
			decisions.record(id, "blocked.example", 443, false, minute.plusSeconds(i));
		}
		for (int i = 0; i < 3; i++) {
			decisions.record(id, "pypi.org", 443, true, minute.plusSeconds(50));
		}
		decisions.flush();
		assertThat(egressEvents(id)).isEmpty();

		audit.auditClosedMinutes(minute.plus(Duration.ofMinutes(2)));

		var events = egressEvents(id);
		assertThat(events).extracting(e -> e.get("type").asString())
			.containsExactlyInAnyOrder("EGRESS_DENIED", "EGRESS_ALLOWED");
		var deniedEvent = events.stream().filter(e -> e.get("type").asString().equals("EGRESS_DENIED")).findFirst();
		var data = deniedEvent.orElseThrow().get("data");
		assertThat(data.get("destination").asString()).isEqualTo("blocked.example");
		assertThat(data.get("port").asInt()).isEqualTo(443);
		assertThat(data.get("count").asLong()).isEqualTo(7);
		assertThat(data.get("minute").asString()).isEqualTo(minute.toString());
		assertThat(deniedEvent.orElseThrow().get("actor").asString()).isEqualTo("system");
		assertThat(deniedEvent.orElseThrow().get("tenant").isNull()).isFalse();
		audit.auditClosedMinutes(minute.plus(Duration.ofMinutes(2)));
		assertThat(egressEvents(id)).hasSize(2);

		// a replica's counts that arrive after the minute was audited are audited too
		decisions.record(id, "blocked.example", 443, false, minute.plusSeconds(59));
		decisions.record(id, "blocked.example", 443, false, minute.plusSeconds(59));
		decisions.flush();
		audit.auditClosedMinutes(minute.plus(Duration.ofMinutes(2)));

		assertThat(egressEvents(id)).filteredOn(e -> e.get("type").asString().equals("EGRESS_DENIED"))
			.extracting(e -> e.get("data").get("count").asLong())
			.containsExactly(7L, 2L);
		assertThat(egress(id, "").get("items").get(0).get("count").asLong()).isEqualTo(9);
		assertThat(api.get("/v1/audit-events/verify").json().get("valid").asBoolean()).isTrue();
	}

	@Test
	void auditorsRunningAtOnceAuditEachCountOnce() throws Exception {
		var id = sandbox();
		var minute = futureMinute();
		for (int m = 0; m < 3; m++) {
			for (int i = 0; i < 90; i++) {
				decisions.record(id, "host-" + i + ".example", 443, i % 3 != 0, minute.plus(Duration.ofMinutes(m)));
				decisions.record(id, "host-" + i + ".example", 443, i % 3 != 0, minute.plus(Duration.ofMinutes(m)));
			}
		}
		decisions.flush();

		try (var replicas = Executors.newVirtualThreadPerTaskExecutor()) {
			var runs = new ArrayList<Future<?>>();
			for (int r = 0; r < 3; r++) {
				runs.add(replicas.submit(() -> audit.auditClosedMinutes(minute.plus(Duration.ofMinutes(5)))));
			}
			// the sandbox's end audits its rows too, at the same time
			runs.add(replicas.submit(() -> api.delete("/v1/sandboxes/" + id)));
			for (var run : runs) {
				run.get();
			}
		}

		var events = egressEvents(id);
		assertThat(events).hasSize(270);
		assertThat(events).extracting(e -> e.get("data").get("count").asLong()).containsOnly(2L);
		assertThat(events)
			.extracting(e -> e.get("data").get("destination").asString() + " " + e.get("data").get("minute").asString()
					+ " " + e.get("type").asString())
			.doesNotHaveDuplicates();
		assertThat(api.get("/v1/audit-events/verify").json().get("valid").asBoolean()).isTrue();
	}

	@Test
	void anEndedSandboxsDecisionsAreAuditedAtOnce() {
		var id = sandbox();
		for (int i = 0; i < 4; i++) {
			decisions.record(id, "evil.example", 80, false);
		}
		decisions.record(id, "203.0.113.7", 443, true);

		assertThat(api.delete("/v1/sandboxes/" + id).status()).isEqualTo(204);

		var events = egressEvents(id);
		assertThat(events)
			.extracting(e -> e.get("type").asString() + " " + e.get("data").get("destination").asString() + ":"
					+ e.get("data").get("port").asInt() + " x" + e.get("data").get("count").asLong())
			.containsExactlyInAnyOrder("EGRESS_DENIED evil.example:80 x4", "EGRESS_ALLOWED 203.0.113.7:443 x1");
		assertThat(jdbc.queryForObject(
				"select count(*) from egress_decisions where sandbox_id = ? and count > audited_count", Long.class, id))
			.isZero();
		assertThat(api.get("/v1/audit-events/verify").json().get("valid").asBoolean()).isTrue();
	}

	@Test
	void beyondAHundredDestinationsInAMinuteTheCountsGoToStar() {
		var id = sandbox();
		var minute = futureMinute();
		for (int i = 0; i < 103; i++) {
			decisions.record(id, "host-" + i + ".example", 443, false, minute);
		}
		decisions.record(id, "host-0.example", 443, false, minute);
		decisions.record(id, "host-200.example", 80, true, minute);
		decisions.record(id, "host-201.example", 80, false, minute);
		// the next minute starts afresh
		decisions.record(id, "host-300.example", 443, false, minute.plus(Duration.ofMinutes(1)));

		var listed = egress(id, "?size=500");

		assertThat(listed.get("totalItems").asLong()).isEqualTo(103);
		var rows = new ArrayList<String>();
		listed.get("items")
			.forEach(row -> rows.add(row.get("destination").asString() + ":" + row.get("port").asInt() + " "
					+ row.get("decision").asString() + " x" + row.get("count").asLong()));
		assertThat(rows.getFirst()).isEqualTo("host-300.example:443 DENIED x1");
		assertThat(rows)
			.contains("*:0 DENIED x4", "*:0 ALLOWED x1", "host-0.example:443 DENIED x2",
					"host-99.example:443 DENIED x1")
			.doesNotContain("host-100.example:443 DENIED x1", "host-200.example:80 ALLOWED x1");
	}

	@Test
	void theListingPagesNewestMinuteFirstToWhoeverMaySeeTheSandbox() {
		var tenant = uniqueName("t");
		var agent = apiKey(tenant, "AGENT");
		var created = api.createSandbox(Map.of("image", IMAGE), agent);
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		var id = created.json().get("id").asString();
		var now = clock.instant().truncatedTo(ChronoUnit.MINUTES);
		decisions.record(id, "old.example", 443, false, now.minus(Duration.ofMinutes(2)));
		decisions.record(id, "middle.example", 80, true, now.minus(Duration.ofMinutes(1)));
		decisions.record(id, "2001:db8::1", 443, false, now);

		var first = api.send("GET", "/v1/sandboxes/" + id + "/egress?size=2", null, agent);
		var second = api.send("GET", "/v1/sandboxes/" + id + "/egress?size=2&page=1", null, agent);

		assertThat(first.status()).as(first.body()).isEqualTo(200);
		var page = first.json();
		assertThat(page.propertyNames()).containsExactlyInAnyOrder("items", "page", "size", "totalItems");
		assertThat(page.get("totalItems").asLong()).isEqualTo(3);
		assertThat(page.get("size").asInt()).isEqualTo(2);
		var newest = page.get("items").get(0);
		assertThat(newest.propertyNames()).containsExactlyInAnyOrder("at", "destination", "port", "decision", "count");
		assertThat(Instant.parse(newest.get("at").asString())).isEqualTo(now);
		assertThat(newest.get("destination").asString()).isEqualTo("2001:db8::1");
		assertThat(newest.get("decision").asString()).isEqualTo("DENIED");
		assertThat(page.get("items").get(1).get("destination").asString()).isEqualTo("middle.example");
		assertThat(page.get("items").get(1).get("decision").asString()).isEqualTo("ALLOWED");
		assertThat(second.json().get("items")).hasSize(1);
		assertThat(second.json().get("items").get(0).get("destination").asString()).isEqualTo("old.example");

		var stranger = api.send("GET", "/v1/sandboxes/" + id + "/egress", null, apiKey(uniqueName("t"), "AGENT"));
		assertThat(stranger.status()).isEqualTo(404);
		assertThat(stranger.code()).isEqualTo("SANDBOX_NOT_FOUND");
		assertThat(stranger.body()).doesNotContain("old.example");
		assertThat(api.send("GET", "/v1/sandboxes/" + id + "/egress", null, apiKey(tenant, "OPERATOR")).status())
			.isEqualTo(200);
		assertThat(api.send("GET", "/v1/sandboxes/" + id + "/egress", null, apiKey(tenant, "METRICS")).status())
			.isEqualTo(403);
		assertThat(api.get("/v1/sandboxes/sbx_missing/egress").code()).isEqualTo("SANDBOX_NOT_FOUND");
		assertThat(api.get("/v1/sandboxes/" + id + "/egress?size=0").code()).isEqualTo("VALIDATION_FAILED");
		assertThat(api.send("GET", "/v1/sandboxes/" + id + "/egress", null, null).status()).isEqualTo(401);
	}

	@Test
	void aDestinationIsStoredBoundedAndPrintableAndAPortOutOfRangeIsRefusedAtOnce() {
		var id = sandbox();
		decisions.record(id, "evil\0.example\r\nX-Injected: 1", 443, false);
		decisions.record(id, "x".repeat(10_000), 443, false);

		assertThatThrownBy(() -> decisions.record(id, "a.example", 65_536, false))
			.isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> decisions.record(id, "a.example", -1, true))
			.isInstanceOf(IllegalArgumentException.class);
		var rows = new ArrayList<String>();
		egress(id, "").get("items").forEach(row -> rows.add(row.get("destination").asString()));
		assertThat(rows).containsExactlyInAnyOrder("evil?.example??X-Injected: 1", "x".repeat(255));
	}

	@Test
	void eachDecisionCountsInTheMetricAtOnce() {
		var id = sandbox();
		var deniedBefore = metric("denied");
		var allowedBefore = metric("allowed");

		decisions.record(id, "a.example", 443, false);
		decisions.record(id, "b.example", 443, false);
		decisions.record(id, "c.example", 443, false);
		decisions.record(id, "d.example", 443, true);

		assertThat(metric("denied") - deniedBefore).isEqualTo(3);
		assertThat(metric("allowed") - allowedBefore).isEqualTo(1);
	}

	double metric(String decision) {
		var scrape = api.get("/actuator/prometheus").body();
		var line = Pattern
			.compile("^airlock_egress_decisions_total\\{decision=\"" + decision + "\"} (\\S+)$", Pattern.MULTILINE)
			.matcher(scrape);
		assertThat(line.find()).as(scrape).isTrue();
		return Double.parseDouble(line.group(1));
	}

}
