package dev.airlock;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * A full Airlock on a random port, against real PostgreSQL and the real Docker daemon.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "airlock.security.admin-api-key=" + Api.ADMIN_KEY, "logging.level.dev.airlock=DEBUG",
				"airlock.metrics.gauge-interval=1s" })
@Import({ TestDatabase.class, Api.class, DockerProbe.class, RecordedEvents.class })
public @interface IntegrationTest {

}
