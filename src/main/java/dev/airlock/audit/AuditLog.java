package dev.airlock.audit;

import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;

import dev.airlock.core.TransactionLocks;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/**
 * Appends to, reads and verifies the hash chain. An append joins the caller's
 * transaction, so an event commits with the state change it describes or not at all; a
 * transaction-scoped lock serialises appends, so concurrent writers never fork the chain.
 */
@Service
public class AuditLog {

	private final JdbcClient jdbc;

	private final JdbcTemplate streaming;

	private final Clock clock;

	private final MeterRegistry meters;

	AuditLog(JdbcClient jdbc, JdbcTemplate jdbcTemplate, Clock clock, MeterRegistry meters) {
		this.jdbc = jdbc;
		this.streaming = new JdbcTemplate(jdbcTemplate.getDataSource());
		this.streaming.setFetchSize(1000);
		this.clock = clock;
		this.meters = meters;
	}

	/**
	 * Appends one event; data beyond {@link AuditBounds#MAX_DATA} is stored as its hash
	 * and length only.
	 */
	@Transactional
	public AuditEvent append(String type, @Nullable String tenant, String actor, @Nullable String sandboxId,
			JsonNode given) {
		var data = AuditBounds.bounded(given, CanonicalJson.of(given));
		TransactionLocks.lock(jdbc, "airlock-audit-chain");
		var head = jdbc.sql("select seq, hash from audit_events order by seq desc limit 1")
			.query((row, n) -> new Object[] { row.getLong("seq"), row.getString("hash") })
			.optional();
		var seq = head.map(h -> (Long) h[0] + 1).orElse(1L);
		var prevHash = head.map(h -> (String) h[1]).orElse(AuditChain.GENESIS);
		var at = clock.instant();
		var canonicalData = CanonicalJson.of(data);
		var hash = AuditChain.hash(prevHash, AuditChain.canonical(seq, at, tenant, actor, type, sandboxId, data));
		jdbc.sql("""
				insert into audit_events (seq, at, tenant, actor, type, sandbox_id, data, prev_hash, hash)
				values (:seq, :at, :tenant, :actor, :type, :sandboxId, :data, :prevHash, :hash)""")
			.param("seq", seq)
			.param("at", Timestamp.from(at))
			.param("tenant", tenant)
			.param("actor", actor)
			.param("type", type)
			.param("sandboxId", sandboxId)
			.param("data", canonicalData)
			.param("prevHash", prevHash)
			.param("hash", hash)
			.update();
		meters.counter("airlock.audit.events", "type", type).increment();
		return new AuditEvent(seq, at, tenant, actor, type, sandboxId, data, prevHash, hash);
	}

	/** A page of events in chain order; each filter is optional. */
	@Transactional(readOnly = true)
	public List<AuditEvent> find(AuditQuery query, int page, int size) {
		return jdbc
			.sql("select * from audit_events where " + query.where() + " order by seq limit :size offset :offset")
			.paramSource(query.params().addValue("size", size).addValue("offset", (long) page * size))
			.query((row, n) -> AuditRows.event(row))
			.list();
	}

	@Transactional(readOnly = true)
	public long count(AuditQuery query) {
		return jdbc.sql("select count(*) from audit_events where " + query.where())
			.paramSource(query.params())
			.query(Long.class)
			.single();
	}

	/**
	 * Streams the matching events in chain order to {@code sink}, one at a time (memory
	 * stays flat).
	 */
	@Transactional(readOnly = true)
	public void stream(AuditQuery query, Consumer<AuditEvent> sink) {
		var named = new NamedParameterJdbcTemplate(streaming);
		named.query("select * from audit_events where " + query.where() + " order by seq", query.params(),
				(ResultSet row) -> {
					sink.accept(AuditRows.event(row));
				});
	}

	/** Walks the whole chain: sequence without gaps, each link's prevHash and hash. */
	@Transactional(readOnly = true)
	public Verification verify() {
		var walk = new ChainWalk();
		stream(AuditQuery.ALL, walk::accept);
		return walk.result();
	}

	/** The answer of a verification. */
	public record Verification(boolean valid, long checked, @Nullable Long firstBrokenSeq) {
	}

	/** Checks events one by one in order; the first break is kept. */
	public static final class ChainWalk {

		private long checked;

		private @Nullable Long expectedSeq;

		private @Nullable String previousHash;

		private @Nullable Long firstBroken;

		public void accept(AuditEvent event) {
			checked++;
			if (firstBroken != null) {
				return;
			}
			if (expectedSeq != null && event.seq() != expectedSeq) {
				// a missing or moved link
				firstBroken = Math.min(expectedSeq, event.seq());
			}
			else if (previousHash != null && !event.prevHash().equals(previousHash)) {
				firstBroken = event.seq();
			}
			else if (expectedSeq == null && event.seq() == 1 && !event.prevHash().equals(AuditChain.GENESIS)) {
				firstBroken = event.seq();
			}
			else if (!AuditChain.holds(event)) {
				firstBroken = event.seq();
			}
			expectedSeq = event.seq() + 1;
			previousHash = event.hash();
		}

		public @Nullable String headHash() {
			return previousHash;
		}

		public Verification result() {
			return new Verification(firstBroken == null, checked, firstBroken);
		}

	}

}
