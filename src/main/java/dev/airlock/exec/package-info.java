/**
 * Running commands inside sandboxes: argv, stdin with end-of-file, timeouts that kill the
 * whole tree, capped output.
 */
@ApplicationModule(allowedDependencies = { "core", "security", "policy", "runtime", "sandbox", "egress" })
@NullMarked
package dev.airlock.exec;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
