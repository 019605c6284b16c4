package dev.airlock.sandbox;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * {@code airlock.sandboxes.active{status,policy}}: live sandboxes, counted in the
 * database every few seconds; 0 for each live status of each policy with none in it, so a
 * dashboard sees an empty status as 0, not as no data.
 */
@Component
class SandboxGauges {

	private static final Logger log = LoggerFactory.getLogger(SandboxGauges.class);

	private final JdbcClient jdbc;

	private final MultiGauge active;

	SandboxGauges(JdbcClient jdbc, MeterRegistry meters) {
		this.jdbc = jdbc;
		this.active = MultiGauge.builder("airlock.sandboxes.active")
			.description("Sandboxes not yet ended, by status and policy")
			.register(meters);
	}

	@Scheduled(fixedDelayString = "${airlock.metrics.gauge-interval:5s}", initialDelayString = "0s")
	void refresh() {
		try {
			List<MultiGauge.Row<?>> rows = jdbc.sql("""
					with live as (
					    select status, policy_name, count(*) as n from sandboxes
					    where status in ('CREATING', 'RUNNING', 'STOPPING') group by status, policy_name)
					select s.status, p.name as policy_name, coalesce(live.n, 0) as n
					from (values ('CREATING'), ('RUNNING'), ('STOPPING')) as s(status)
					cross join (select name from policies where current and not deleted
					            union select policy_name from live) as p(name)
					left join live on live.status = s.status and live.policy_name = p.name""")
				.query((row, n) -> MultiGauge.Row.of(
						Tags.of("status", row.getString("status"), "policy", row.getString("policy_name")),
						row.getLong("n")))
				.list()
				.stream().<MultiGauge.Row<?>>map(row -> row).toList();
			active.register(rows, true);
		}
		catch (RuntimeException e) {
			log.debug("Could not count active sandboxes: {}", e.getMessage());
		}
	}

}
