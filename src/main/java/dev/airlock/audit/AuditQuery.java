package dev.airlock.audit;

import java.sql.Timestamp;
import java.time.Instant;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;

/** Which events: every filter optional. */
public record AuditQuery(@Nullable String tenant, @Nullable String sandboxId, @Nullable String type,
		@Nullable Instant since, @Nullable Instant until) {

	public static final AuditQuery ALL = new AuditQuery(null, null, null, null, null);

	String where() {
		return """
				(cast(:tenant as varchar) is null or tenant = :tenant)
				and (cast(:sandboxId as varchar) is null or sandbox_id = :sandboxId)
				and (cast(:type as varchar) is null or type = :type)
				and (cast(:since as timestamptz) is null or at >= :since)
				and (cast(:until as timestamptz) is null or at < :until)""";
	}

	MapSqlParameterSource params() {
		return new MapSqlParameterSource().addValue("tenant", tenant)
			.addValue("sandboxId", sandboxId)
			.addValue("type", type)
			.addValue("since", since == null ? null : Timestamp.from(since))
			.addValue("until", until == null ? null : Timestamp.from(until));
	}
}
