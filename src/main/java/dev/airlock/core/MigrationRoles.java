package dev.airlock.core;

import java.util.Map;

import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.stereotype.Component;

/**
 * Runs migrations as the owner role when one is configured, and tells them which role the
 * service uses ({@code ${appRole}}), so they can grant it exactly what it needs.
 */
@Component
class MigrationRoles implements FlywayConfigurationCustomizer {

	private final DatabaseSettings settings;

	private final JdbcConnectionDetails database;

	MigrationRoles(DatabaseSettings settings, JdbcConnectionDetails database) {
		this.settings = settings;
		this.database = database;
	}

	@Override
	public void customize(FluentConfiguration configuration) {
		configuration.placeholders(Map.of("appRole", database.getUsername()));
		var owner = settings.migrationUsername();
		if (owner != null && !owner.isBlank()) {
			configuration.dataSource(database.getJdbcUrl(), owner, settings.migrationPassword());
		}
	}

}
