package dev.airlock.audit;

import java.sql.ResultSet;
import java.sql.SQLException;

/** Reads an audit row back into an event. */
final class AuditRows {

	private AuditRows() {
	}

	static AuditEvent event(ResultSet row) throws SQLException {
		return new AuditEvent(row.getLong("seq"), row.getTimestamp("at").toInstant(), row.getString("tenant"),
				row.getString("actor"), row.getString("type"), row.getString("sandbox_id"),
				AuditChain.JSON.readTree(row.getString("data")), row.getString("prev_hash").trim(),
				row.getString("hash").trim());
	}

}
