package dev.airlock.core;

import java.util.Map;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import org.springframework.stereotype.Component;

/**
 * Help text for every Airlock meter, in one place: dashboards and {@code promtool} read
 * it.
 */
@Component
class MeterDescriptions implements MeterFilter {

	private static final Map<String, String> DESCRIPTIONS = Map.ofEntries(
			Map.entry("airlock.sandbox.creates", "Sandbox creates by policy and outcome (success, failed, rejected)"),
			Map.entry("airlock.sandboxes.ended", "Sandboxes ended, by terminal status and end reason"),
			Map.entry("airlock.sandbox.create.duration", "Time from a create request to a RUNNING sandbox"),
			Map.entry("airlock.exec", "Execs by outcome (ok, nonzero, timeout, cancelled, denied, error)"),
			Map.entry("airlock.exec.duration", "Exec duration by outcome"),
			Map.entry("airlock.enforcement.kills", "Sandboxes killed by enforcement, by reason"),
			Map.entry("airlock.runtime.errors", "Failed calls to the container runtime, by operation"),
			Map.entry("airlock.audit.events", "Audit events appended, by type"),
			Map.entry("airlock.files.bytes", "Bytes moved in and out of sandboxes, by direction"),
			Map.entry("airlock.pool.claims",
					"Creates that matched a warm pool, by pool and outcome (hit: took a ready member, miss: started cold)"),
			Map.entry("airlock.pool.refill", "Time to start a warm pool's member, by outcome (started, failed)"));

	@Override
	public Meter.Id map(Meter.Id id) {
		var description = DESCRIPTIONS.get(id.getName());
		if (description == null || id.getDescription() != null) {
			return id;
		}
		return new Meter.Id(id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(), description, id.getType());
	}

}
