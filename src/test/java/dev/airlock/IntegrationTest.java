package dev.airlock;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * A full Airlock on a random port, against real PostgreSQL and the real Docker daemon.
 * Tagged {@value #TAG}: {@code ./mvnw verify} runs these (Failsafe), {@code ./mvnw test}
 * does not.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(IntegrationTest.TAG)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "airlock.security.admin-api-key=" + Api.ADMIN_KEY, "logging.level.dev.airlock=DEBUG",
				"airlock.metrics.gauge-interval=1s",
				// tests and benchmarks run hundreds of sandboxes as the admin's tenant
				"airlock.tenants.max-sandboxes=1000" })
@Import({ TestDatabase.class, Api.class, DockerProbe.class, RecordedEvents.class })
public @interface IntegrationTest {

	/** The JUnit tag of every test that needs Docker or PostgreSQL (see pom.xml). */
	String TAG = "integration";

}
