package dev.airlock.files;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.airlock.core.Ids;
import dev.airlock.core.TransactionLocks;
import dev.airlock.tenant.TenantQuotas;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A tenant's uploads in flight, counted in the database so that its
 * {@code maxConcurrentUploads} holds across replicas. Each upload holds a lease row from
 * before its first byte is read until it ends, however it ends; this replica renews its
 * leases while they run, and a lease left by a replica that died stops counting after
 * {@link #LEASE_SECONDS}.
 */
@Component
class UploadSlots {

	private static final Logger log = LoggerFactory.getLogger(UploadSlots.class);

	static final int LEASE_SECONDS = 60;

	private final JdbcClient jdbc;

	private final TransactionTemplate tx;

	private final TenantQuotas quotas;

	private final Set<String> held = ConcurrentHashMap.newKeySet();

	UploadSlots(JdbcClient jdbc, PlatformTransactionManager transactions, TenantQuotas quotas) {
		this.jdbc = jdbc;
		this.tx = new TransactionTemplate(transactions);
		this.quotas = quotas;
	}

	/** One upload's place in its tenant's quota; closing it frees the place. */
	interface Slot extends AutoCloseable {

		@Override
		void close();

	}

	/**
	 * Takes a place for an upload of {@code tenant}, or refuses (429) when all are taken;
	 * under a lock per tenant, so racing uploads never overshoot.
	 */
	Slot acquire(String tenant) {
		var id = Ids.newId("upl");
		tx.executeWithoutResult(status -> {
			TransactionLocks.lock(jdbc, "uploads:" + tenant);
			jdbc.sql(
					"delete from upload_leases where tenant = :tenant and renewed_at < now() - make_interval(secs => :lease)")
				.param("tenant", tenant)
				.param("lease", LEASE_SECONDS)
				.update();
			var max = quotas.of(tenant).maxConcurrentUploads();
			var inFlight = jdbc.sql("select count(*) from upload_leases where tenant = :tenant")
				.param("tenant", tenant)
				.query(Long.class)
				.single();
			if (inFlight >= max) {
				throw new TooManyUploads(tenant, max);
			}
			jdbc.sql("insert into upload_leases (id, tenant, renewed_at) values (:id, :tenant, now())")
				.param("id", id)
				.param("tenant", tenant)
				.update();
		});
		held.add(id);
		return () -> release(id);
	}

	private void release(String id) {
		held.remove(id);
		try {
			jdbc.sql("delete from upload_leases where id = :id").param("id", id).update();
		}
		catch (RuntimeException e) {
			// no longer renewed, it stops counting when its lease runs out
			log.warn("Upload lease {} not released now: {}", id, e.getMessage());
		}
	}

	/**
	 * Keeps this replica's running uploads counted, and removes every tenant's leases
	 * that ran out (left by a replica that died), which otherwise only that tenant's next
	 * upload would remove.
	 */
	@Scheduled(fixedDelay = LEASE_SECONDS / 4, timeUnit = TimeUnit.SECONDS)
	void renew() {
		if (!held.isEmpty()) {
			jdbc.sql("update upload_leases set renewed_at = now() where id in (:ids)")
				.param("ids", List.copyOf(held))
				.update();
		}
		jdbc.sql("delete from upload_leases where renewed_at < now() - make_interval(secs => :lease)")
			.param("lease", LEASE_SECONDS)
			.update();
	}

}
