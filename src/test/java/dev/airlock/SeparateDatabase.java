package dev.airlock;

import java.util.Map;

import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A database of its own for a {@link SecondInstance}, on the tests' PostgreSQL server: a
 * fresh schema, migrated by the instance that uses it, that shares no table with the
 * tests' database (the test roles may not create databases, but may create schemas). The
 * instance connects as the role that owns the tables. Close it to drop the schema.
 */
public final class SeparateDatabase implements AutoCloseable {

	private final JdbcTemplate owner;

	private final String schema;

	private final Map<String, Object> properties;

	public SeparateDatabase(JdbcConnectionDetails database) {
		this.owner = OwnerDatabase.jdbc(database);
		this.schema = "airlock_" + Long.toHexString(System.nanoTime());
		owner.execute("create schema " + schema);
		var url = database.getJdbcUrl();
		var query = url.indexOf('?');
		var migrationRole = System.getenv("AIRLOCK_DATABASE_MIGRATION_USERNAME");
		var ownRole = migrationRole == null || migrationRole.isBlank();
		this.properties = Map.of("spring.datasource.url",
				(query < 0 ? url : url.substring(0, query)) + "?currentSchema=" + schema, "spring.datasource.username",
				ownRole ? database.getUsername() : migrationRole, "spring.datasource.password",
				ownRole ? database.getPassword() : System.getenv("AIRLOCK_DATABASE_MIGRATION_PASSWORD"));
	}

	/** The properties that point a {@link SecondInstance} at this database. */
	public Map<String, Object> properties() {
		return properties;
	}

	@Override
	public void close() {
		owner.execute("drop schema " + schema + " cascade");
	}

}
