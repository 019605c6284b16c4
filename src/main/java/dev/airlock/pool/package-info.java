/**
 * Warm pools: named sets of started, unclaimed sandboxes of one policy and image that a
 * matching create can take instead of starting a container of its own.
 */
@ApplicationModule(allowedDependencies = { "core", "security", "policy", "runtime", "sandbox", "enforcement" })
@NullMarked
package dev.airlock.pool;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
