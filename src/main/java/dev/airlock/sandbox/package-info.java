/**
 * Sandboxes and their lifecycle: create a hardened container under a pinned policy
 * version, look at it, destroy it.
 */
@ApplicationModule(allowedDependencies = { "core", "security", "policy", "runtime", "tenant" })
@NullMarked
package dev.airlock.sandbox;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
