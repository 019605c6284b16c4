package dev.airlock.ops;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alert rules, checked by promtool and run by it against series that must and must
 * not fire them ({@code ops/prometheus/airlock-rules.test.yml}).
 */
class AlertRulesTests {

	static final String RULES = "helm/airlock/files/airlock-rules.yml";

	@Test
	void theAlertRulesPassPromtool() throws Exception {
		var promtool = ExternalTool.require("promtool", "AIRLOCK_PROMTOOL");

		var result = promtool.run(null, "check", "rules", RULES);

		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).contains("SUCCESS: 8 rules found");
	}

	@Test
	void thePoolAlertsFireOnlyOnTheSeriesTheyAreFor() throws Exception {
		var promtool = ExternalTool.require("promtool", "AIRLOCK_PROMTOOL");

		var result = promtool.run(null, "test", "rules", "ops/prometheus/airlock-rules.test.yml");

		assertThat(result.exitCode()).as(result.output()).isZero();
	}

}
