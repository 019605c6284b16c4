package dev.airlock.core;

import java.time.Clock;
import java.time.Duration;

import javax.sql.DataSource;

import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import net.javacrumbs.shedlock.spring.annotation.EnableSchedulerLock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * What every module's periodic work stands on: the clock, scheduling, ShedLock (on the
 * database's clock) for the work one replica at a time must do, and the deployment's id.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableSchedulerLock(defaultLockAtMostFor = "PT1M")
class CoreConfiguration {

	/**
	 * Ticks in microseconds, PostgreSQL's precision, so a timestamp reads back exactly as
	 * it was answered.
	 */
	@Bean
	Clock clock() {
		return Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));
	}

	/**
	 * The configured deployment id, or the database's own (made by its migrations); Boot
	 * migrates before any {@link JdbcClient} is handed out.
	 */
	@Bean
	Deployment deployment(DeploymentSettings settings, JdbcClient jdbc) {
		var configured = settings.id();
		return new Deployment(configured != null && !configured.isEmpty() ? configured
				: jdbc.sql("select id from deployment").query(String.class).single());
	}

	@Bean
	LockProvider lockProvider(DataSource dataSource) {
		return new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
			.withJdbcTemplate(new JdbcTemplate(dataSource))
			.usingDbTime()
			.build());
	}

}
