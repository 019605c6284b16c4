/**
 * Who is calling: bearer API keys, tenants and roles, and the filter chain that writes
 * 401/403 as problems.
 */
@ApplicationModule(allowedDependencies = { "core" })
@NullMarked
package dev.airlock.security;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
