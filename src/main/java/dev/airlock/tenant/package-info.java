/**
 * Tenants' own limits: how many live sandboxes and concurrent uploads each tenant may
 * have, with defaults from configuration.
 */
@ApplicationModule(allowedDependencies = { "core", "security" })
@NullMarked
package dev.airlock.tenant;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
