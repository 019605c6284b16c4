package dev.airlock.runtime;

import java.util.Map;

import dev.airlock.Api;
import dev.airlock.IntegrationTest;
import dev.airlock.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Airlock pointed at a Docker endpoint where nothing listens, as when the daemon is
 * stopped. Not an {@link IntegrationTest} (a context of its own), but it needs
 * PostgreSQL, so it is tagged as one.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "airlock.security.admin-api-key=" + Api.ADMIN_KEY,
				"airlock.runtime.docker.host=unix:///tmp/airlock-tests-no-docker-here.sock" })
@Import({ TestDatabase.class, Api.class })
@Tag(IntegrationTest.TAG)
@DirtiesContext // its sweeps must not linger beside the other tests' contexts, unable to
				// reach Docker
class RuntimeUnavailableTests {

	@Autowired
	Api api;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void createAnswers503AndLeavesNoRowCreating() {
		var response = api.createSandbox(Map.of("image", "busybox:1.35"));

		assertThat(response.status()).as(response.body()).isEqualTo(503);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.code()).isEqualTo("RUNTIME_UNAVAILABLE");
		var id = response.json().get("sandboxId").asString();
		var status = jdbc.queryForObject("select status from sandboxes where id = ?", String.class, id);
		assertThat(status).isEqualTo("FAILED");
		assertThat(jdbc.queryForObject("select count(*) from sandboxes where status = 'CREATING' and id = ?",
				Long.class, id))
			.isZero();
		var metrics = api.get("/actuator/prometheus").body();
		assertThat(metrics).contains("airlock_runtime_errors_total{operation=\"inspect the image\"}")
			.contains("airlock_sandbox_creates_total{outcome=\"failed\",policy=\"default\"}");
	}

	@Test
	void readinessIsDownWhileLivenessStaysUp() {
		var readiness = api.send("GET", "/actuator/health/readiness", null, null);
		assertThat(readiness.status()).isEqualTo(503);
		assertThat(api.send("GET", "/actuator/health/liveness", null, null).status()).isEqualTo(200);
	}

	@Test
	void readsThatNeedNoDockerStillWork() {
		assertThat(api.get("/v1/sandboxes").status()).isEqualTo(200);
		assertThat(api.get("/v1/policies/default").status()).isEqualTo(200);
	}

}
