package dev.airlock.enforcement;

import java.time.Clock;
import java.time.Duration;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * An application host whose clock jumped a day ahead (for a
 * {@link dev.airlock.SecondInstance}).
 */
@TestConfiguration(proxyBeanMethods = false)
class TomorrowClock {

	@Bean
	@Primary
	Clock tomorrow() {
		return Clock.offset(Clock.systemUTC(), Duration.ofDays(1));
	}

}
