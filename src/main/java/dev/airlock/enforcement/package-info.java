/**
 * Enforcement: leases and idle timeouts, the watchdog, the engine's events, the
 * reconciler and the halt switch.
 */
@ApplicationModule(allowedDependencies = { "core", "security", "policy", "runtime", "sandbox", "exec" })
@NullMarked
package dev.airlock.enforcement;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
