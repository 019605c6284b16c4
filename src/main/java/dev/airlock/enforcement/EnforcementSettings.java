package dev.airlock.enforcement;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How often and how hard Airlock enforces.
 *
 * @param expiryInterval how often leases and idle timeouts are checked (a sandbox ends
 * within this plus the removal)
 * @param watchdogInterval how often usage (processes, CPU time) is sampled: a violation
 * is seen within this plus one pass (milliseconds while the cgroup counters are readable)
 * @param watchdogConcurrency how many sandboxes are sampled at once
 * @param reconcileInterval how often Docker and the database are compared
 * @param stuckCreateAfter a CREATING row older than this belongs to a creator that died
 * @param dieSettle how long to wait after a container died before deciding between
 * "exited" and "removed"
 * @param batchSize the most sandboxes one sweep claims
 */
@ConfigurationProperties("airlock.enforcement")
public record EnforcementSettings(@DefaultValue("500ms") Duration expiryInterval,
		@DefaultValue("500ms") Duration watchdogInterval, @DefaultValue("8") int watchdogConcurrency,
		@DefaultValue("30s") Duration reconcileInterval, @DefaultValue("10m") Duration stuckCreateAfter,
		@DefaultValue("250ms") Duration dieSettle, @DefaultValue("100") int batchSize) {
}
