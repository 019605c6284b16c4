package dev.airlock.tenant;

import java.sql.Timestamp;
import java.time.Clock;

import dev.airlock.security.Caller;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Tenants' quotas: a row per tenant an admin has set, the configured defaults for every
 * other tenant.
 */
@Service
public class TenantQuotas {

	private final JdbcClient jdbc;

	private final TenantSettings defaults;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	TenantQuotas(JdbcClient jdbc, TenantSettings defaults, ApplicationEventPublisher events, Clock clock) {
		this.jdbc = jdbc;
		this.defaults = defaults;
		this.events = events;
		this.clock = clock;
	}

	/** The quota in force for {@code tenant}; joins the caller's transaction if any. */
	public TenantQuota of(String tenant) {
		return jdbc.sql("select max_sandboxes, max_concurrent_uploads from tenant_quotas where tenant = :tenant")
			.param("tenant", tenant)
			.query((row, n) -> new TenantQuota(tenant, row.getInt(1), row.getInt(2)))
			.optional()
			.orElseGet(() -> new TenantQuota(tenant, defaults.maxSandboxes(), defaults.maxConcurrentUploads()));
	}

	/**
	 * The quota as {@code caller} may see it: ADMIN and OPERATOR any tenant's, everyone
	 * else only their own (another tenant's is 404).
	 */
	public TenantQuota get(String tenant, Caller caller) {
		if (!caller.canSee(tenant)) {
			throw new QuotaNotFound(tenant);
		}
		return of(tenant);
	}

	/** Sets the tenant's quota; the change and its audit record commit together. */
	@Transactional
	public TenantQuota set(TenantQuota quota, String actor) {
		jdbc.sql("""
				insert into tenant_quotas (tenant, max_sandboxes, max_concurrent_uploads, updated_at, updated_by)
				values (:tenant, :maxSandboxes, :maxUploads, :now, :actor)
				on conflict (tenant) do update set max_sandboxes = excluded.max_sandboxes,
				    max_concurrent_uploads = excluded.max_concurrent_uploads,
				    updated_at = excluded.updated_at, updated_by = excluded.updated_by""")
			.param("tenant", quota.tenant())
			.param("maxSandboxes", quota.maxSandboxes())
			.param("maxUploads", quota.maxConcurrentUploads())
			.param("now", Timestamp.from(clock.instant()))
			.param("actor", actor)
			.update();
		events.publishEvent(new QuotaUpdated(quota, actor));
		return quota;
	}

}
