package dev.airlock.tenant;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The quota of every tenant that has none of its own.
 *
 * @param maxSandboxes live sandboxes (CREATING, RUNNING, STOPPING) a tenant may have
 * across all policies; each policy's {@code maxSandboxesPerTenant} applies inside it
 * @param maxConcurrentUploads file uploads a tenant may have in flight at once
 */
@ConfigurationProperties("airlock.tenants")
public record TenantSettings(@DefaultValue("50") int maxSandboxes, @DefaultValue("4") int maxConcurrentUploads) {
}
