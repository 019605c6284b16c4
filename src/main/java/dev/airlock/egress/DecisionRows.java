package dev.airlock.egress;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import dev.airlock.egress.EgressDecision.Decision;
import dev.airlock.egress.EgressDecisions.DecisionKey;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.Pageable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The table {@code egress_decisions}: counts added by upsert, pages for the listing, and
 * the rows whose counts are not in the audit log yet.
 */
@Repository
class DecisionRows {

	private final JdbcClient jdbc;

	private final JdbcTemplate batch;

	private final TransactionTemplate newTransaction;

	DecisionRows(JdbcClient jdbc, JdbcTemplate batch, PlatformTransactionManager transactions) {
		this.jdbc = jdbc;
		this.batch = batch;
		this.newTransaction = new TransactionTemplate(transactions);
		// a flush may run while a finished transaction's resources are still bound
		this.newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	/** Adds each count to its row, in one transaction. */
	void add(List<Count> counts) {
		newTransaction.executeWithoutResult(status -> batch.batchUpdate("""
				insert into egress_decisions (sandbox_id, minute, destination, port, decision, count)
				values (?, ?, ?, ?, ?, ?)
				on conflict (sandbox_id, minute, destination, port, decision)
				do update set count = egress_decisions.count + excluded.count""", counts, counts.size(),
				(statement, count) -> {
					var key = count.key();
					statement.setString(1, key.sandboxId());
					statement.setTimestamp(2, Timestamp.from(key.minute()));
					statement.setString(3, key.destination());
					statement.setInt(4, key.port());
					statement.setString(5, decision(key.allowed()).name());
					statement.setLong(6, count.count());
				}));
	}

	Page<EgressDecision> page(String sandboxId, Pageable pageable) {
		var items = jdbc.sql("""
				select minute, destination, port, decision, count from egress_decisions where sandbox_id = :id
				order by minute desc, count desc, destination, port, decision limit :size offset :offset""")
			.param("id", sandboxId)
			.param("size", pageable.getPageSize())
			.param("offset", pageable.getOffset())
			.query((row, n) -> new EgressDecision(row.getTimestamp("minute").toInstant(), row.getString("destination"),
					row.getInt("port"), Decision.valueOf(row.getString("decision")), row.getLong("count")))
			.list();
		var total = jdbc.sql("select count(*) from egress_decisions where sandbox_id = :id")
			.param("id", sandboxId)
			.query(Long.class)
			.single();
		return new PageImpl<>(items, pageable, total);
	}

	/**
	 * Locks and answers up to {@code limit} rows with unaudited counts whose minute began
	 * before {@code before}, skipping rows another replica holds; joins the caller's
	 * transaction.
	 */
	List<Unaudited> closed(Instant before, int limit) {
		return jdbc.sql("""
				select * from egress_decisions where count > audited_count and minute < :before
				order by minute limit :limit for update skip locked""")
			.param("before", Timestamp.from(before))
			.param("limit", limit)
			.query((row, n) -> unaudited(row))
			.list();
	}

	/**
	 * Locks and answers the sandbox's rows with unaudited counts (waiting for rows
	 * another transaction holds); joins the caller's transaction.
	 */
	List<Unaudited> ofSandbox(String sandboxId) {
		return jdbc.sql("""
				select * from egress_decisions where sandbox_id = :id and count > audited_count
				order by minute for update""").param("id", sandboxId).query((row, n) -> unaudited(row)).list();
	}

	/** Marks the row's counts as audited; joins the caller's transaction. */
	void audited(Unaudited row) {
		jdbc.sql("""
				update egress_decisions set audited_count = :count where sandbox_id = :id and minute = :minute
				and destination = :destination and port = :port and decision = :decision""")
			.param("count", row.count())
			.param("id", row.sandboxId())
			.param("minute", Timestamp.from(row.minute()))
			.param("destination", row.destination())
			.param("port", row.port())
			.param("decision", row.decision().name())
			.update();
	}

	private static Unaudited unaudited(ResultSet row) throws SQLException {
		return new Unaudited(row.getString("sandbox_id"), row.getTimestamp("minute").toInstant(),
				row.getString("destination"), row.getInt("port"), Decision.valueOf(row.getString("decision")),
				row.getLong("count"), row.getLong("audited_count"));
	}

	static Decision decision(boolean allowed) {
		return allowed ? Decision.ALLOWED : Decision.DENIED;
	}

	/** Counts to add to one row. */
	record Count(DecisionKey key, long count) {
	}

	/** A row whose counts beyond {@code auditedCount} are not in the audit log yet. */
	record Unaudited(String sandboxId, Instant minute, String destination, int port, Decision decision, long count,
			long auditedCount) {
	}

}
