/**
 * Moving files in and out of sandboxes: path rules first, streaming both ways, upload
 * caps from the policy.
 */
@ApplicationModule(allowedDependencies = { "core", "security", "policy", "runtime", "sandbox", "tenant" })
@NullMarked
package dev.airlock.files;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
