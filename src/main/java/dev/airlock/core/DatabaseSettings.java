package dev.airlock.core;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Who runs the migrations. When set, Flyway connects as this role (the owner of the
 * tables) while the service connects as its own, lesser role
 * ({@code spring.datasource.username}), which the migrations grant what it needs: on the
 * audit log only INSERT and SELECT.
 *
 * @param migrationUsername the owner role for migrations
 * ({@code AIRLOCK_DATABASE_MIGRATION_USERNAME})
 * @param migrationPassword its password ({@code AIRLOCK_DATABASE_MIGRATION_PASSWORD})
 */
@ConfigurationProperties("airlock.database")
public record DatabaseSettings(@Nullable String migrationUsername, @Nullable String migrationPassword) {

	@Override
	public String toString() {
		return "DatabaseSettings[migrationUsername=" + migrationUsername + ", migrationPassword=******]";
	}
}
