/**
 * The container runtime port: starts, inspects and removes sandbox containers; speaks
 * only JDK and its own types.
 */
@ApplicationModule(allowedDependencies = { "core" })
@NullMarked
package dev.airlock.runtime;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
