package dev.airlock;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The tests' PostgreSQL: the one named by {@code AIRLOCK_DATABASE_URL} (CI starts a local
 * server), or else a throwaway one from Testcontainers (a developer laptop with Docker).
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestDatabase {

	@Bean
	@ServiceConnection
	@Conditional(NoDatabaseGiven.class)
	PostgreSQLContainer postgres() {
		// the role application.yml defaults to, so the migrations' ${appRole} names the
		// role the service uses
		return new PostgreSQLContainer("postgres:16-alpine").withUsername("airlock").withPassword("airlock");
	}

	static class NoDatabaseGiven implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			var url = System.getenv("AIRLOCK_DATABASE_URL");
			return url == null || url.isBlank();
		}

	}

}
