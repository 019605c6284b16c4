/**
 * Versioned sandbox policies and the small admission rules that allow or reject a sandbox
 * under them.
 */
@ApplicationModule(allowedDependencies = { "core", "security" })
@NullMarked
package dev.airlock.policy;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
