package dev.airlock.tenant;

/**
 * An admin set a tenant's quota.
 *
 * @param quota the quota now in force
 * @param actor who did it ({@code key:<id>})
 */
public record QuotaUpdated(TenantQuota quota, String actor) {
}
