package dev.airlock;

import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A connection as the role that owns the tables (the one migrations run as), for tests
 * that play an attacker with the owner's rights. Where the service and the migrations
 * share one role, it is that role.
 */
public final class OwnerDatabase {

	private OwnerDatabase() {
	}

	public static JdbcTemplate jdbc(JdbcConnectionDetails database) {
		var owner = System.getenv("AIRLOCK_DATABASE_MIGRATION_USERNAME");
		if (owner == null || owner.isBlank()) {
			return new JdbcTemplate(
					new DriverManagerDataSource(database.getJdbcUrl(), database.getUsername(), database.getPassword()));
		}
		return new JdbcTemplate(new DriverManagerDataSource(database.getJdbcUrl(), owner,
				System.getenv("AIRLOCK_DATABASE_MIGRATION_PASSWORD")));
	}

}
