package dev.airlock.core;

import java.time.Clock;
import java.time.Duration;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The clock every module reads time from. */
/** Also: scheduling, for every module's periodic work. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class CoreConfiguration {

	/**
	 * Ticks in microseconds, PostgreSQL's precision, so a timestamp reads back exactly as
	 * it was answered.
	 */
	@Bean
	Clock clock() {
		return Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));
	}

}
