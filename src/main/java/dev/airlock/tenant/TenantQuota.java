package dev.airlock.tenant;

/**
 * A tenant's limits: its own, or the configured defaults when it has none.
 *
 * @param tenant the tenant
 * @param maxSandboxes live sandboxes across all policies
 * @param maxConcurrentUploads uploads in flight at once
 */
public record TenantQuota(String tenant, int maxSandboxes, int maxConcurrentUploads) {
}
