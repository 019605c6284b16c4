package dev.airlock.pool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

import dev.airlock.IntegrationTestSupport;
import dev.airlock.runtime.EngineIdentity;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The pools' metrics as Prometheus scrapes them, moving with a real pool's refill and
 * claims; and every pool series the dashboard and the alerts query is one Airlock
 * exposes. Counters belong to the whole process: the test compares before and after.
 */
class PoolMetricsTests extends IntegrationTestSupport {

	@Autowired
	EngineIdentity engine;

	@Test
	void readyMembersClaimsAndRefillsShowInTheScrapeUnderTheNamesTheDashboardAndAlertsQuery() throws Exception {
		var pools = new PoolFixture(api, jdbc, engine.engineId());
		var refillsBefore = value(scrape(), "airlock_pool_refill_seconds_count", "outcome=\"started\"");
		var policy = newPolicy(Map.of());
		try {
			var pool = pools.create(policy, 1);
			pools.awaitReady(pool, 1);
			var ready = "airlock_pool_ready{pool=\"" + pool + "\"} ";
			awaitScrape(ready + "1.0");
			var before = scrape();
			pools.holdRefill();

			var hit = sandbox(Map.of("policy", policy));
			var miss = sandbox(Map.of("policy", policy));

			assertThat(sandboxJson(hit).get("source").asString()).isEqualTo("POOL");
			assertThat(sandboxJson(miss).get("source").asString()).isEqualTo("COLD");
			var after = awaitScrape(ready + "0.0");
			var poolTag = "pool=\"" + pool + "\"";
			for (var outcome : new String[] { "outcome=\"hit\"", "outcome=\"miss\"" }) {
				assertThat(value(after, "airlock_pool_claims_total", outcome, poolTag)
						- value(before, "airlock_pool_claims_total", outcome, poolTag))
					.as(outcome)
					.isEqualTo(1.0);
			}
			// the member this pool started, at least (other tests' pools may refill too)
			assertThat(value(after, "airlock_pool_refill_seconds_count", "outcome=\"started\"") - refillsBefore)
				.isGreaterThanOrEqualTo(1.0);
			assertThat(value(after, "airlock_pool_refill_seconds_sum", "outcome=\"started\"")).isPositive();
			assertThat(after).containsPattern("# HELP airlock_pool_ready \\S")
				.containsPattern("# HELP airlock_pool_claims_total \\S")
				.containsPattern("# HELP airlock_pool_refill_seconds \\S");
			var queried = Files.readString(Path.of("helm/airlock/files/airlock-dashboard.json"))
					+ Files.readString(Path.of("helm/airlock/files/airlock-rules.yml"));
			var names = Pattern.compile("airlock_pool_[a-z_]+").matcher(queried).results().map(MatchResult::group);
			assertThat(names.distinct()).isNotEmpty().allSatisfy(name -> assertThat(after).contains(name + "{"));
		}
		finally {
			pools.cleanUp();
		}
	}

	String scrape() {
		var response = api.get("/actuator/prometheus");
		assertThat(response.status()).isEqualTo(200);
		return response.body();
	}

	/**
	 * The first scrape that shows {@code line}: the gauge follows the refill's passes.
	 */
	String awaitScrape(String line) {
		return await().alias(line).atMost(Duration.ofSeconds(30)).until(this::scrape, s -> s.contains(line));
	}

	/**
	 * The sum of the series of {@code name} that carry every one of {@code tags} (0:
	 * none).
	 */
	static double value(String scrape, String name, String... tags) {
		return Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)} (\\S+)$", Pattern.MULTILINE)
			.matcher(scrape)
			.results()
			.filter(line -> Arrays.stream(tags).allMatch(tag -> ("," + line.group(1) + ",").contains("," + tag + ",")))
			.mapToDouble(line -> Double.parseDouble(line.group(2)))
			.sum();
	}

}
