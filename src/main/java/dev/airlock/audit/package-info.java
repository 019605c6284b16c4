/**
 * The tamper-evident audit log: every event, hash-chained, append-only; query, verify and
 * export.
 */
@ApplicationModule(allowedDependencies = { "core", "security", "policy", "sandbox", "exec", "files", "tenant", "egress",
		"pool", "enforcement :: events" })
@NullMarked
package dev.airlock.audit;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
