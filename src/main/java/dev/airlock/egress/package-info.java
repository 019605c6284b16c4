/** Egress: the gateway between sandboxes and the network, its rules and its records. */
@ApplicationModule(allowedDependencies = { "core", "security", "policy", "sandbox", "runtime" })
@NullMarked
package dev.airlock.egress;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
