package dev.airlock.core;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * PostgreSQL advisory locks held until the current transaction ends: what serialises the
 * appends to the audit chain, a tenant's creates against its quota and its uploads
 * against theirs, across replicas.
 */
public final class TransactionLocks {

	private TransactionLocks() {
	}

	/** Waits for the lock named {@code key}; it is released at commit or rollback. */
	public static void lock(JdbcClient jdbc, String key) {
		jdbc.sql("select cast(pg_advisory_xact_lock(hashtext(:key)) as text)")
			.param("key", key)
			.query(String.class)
			.single();
	}

}
