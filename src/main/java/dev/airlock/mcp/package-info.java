/**
 * The Model Context Protocol server at {@code /mcp}: sandboxes as tools an agent calls,
 * through the same services, keys, roles, tenants, limits and audit as the REST API.
 */
@ApplicationModule(allowedDependencies = { "core", "security", "policy", "runtime", "sandbox", "exec", "files" })
@NullMarked
package dev.airlock.mcp;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
