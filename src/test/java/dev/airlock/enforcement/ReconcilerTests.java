package dev.airlock.enforcement;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.airlock.Api;
import dev.airlock.IntegrationTestSupport;
import dev.airlock.SecondInstance;
import dev.airlock.core.Deployment;
import dev.airlock.core.Ids;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Docker and the database made to agree: orphans, lost containers, interrupted creates,
 * restarts.
 */
class ReconcilerTests extends IntegrationTestSupport {

	@Autowired
	Reconciler reconciler;

	@Autowired
	Deployment deployment;

	@Test
	void anOrphanWithAirlocksLabelsIsRemovedAndNothingElseIsTouched() {
		var orphan = docker.startSleeper(Map.of("airlock.managed", "true", "airlock.deployment", deployment.id(),
				"airlock.sandbox-id", Ids.newId("sbx"), "airlock.tenant", "admin"));
		var stranger = docker.startSleeper(Map.of("owner", "someone-else"));
		try {
			var report = reconciler.reconcile();

			assertThat(docker.containerExists(orphan)).isFalse();
			assertThat(docker.containerExists(stranger)).isTrue();
			assertThat(report.orphansRemoved).isPositive();
		}
		finally {
			docker.client().removeContainerCmd(stranger).withForce(true).exec();
		}
	}

	@Test
	void aRunningRowWhoseContainerIsGoneIsLost() {
		var id = sandbox();
		// gone without an event Airlock could see: as if it happened while Airlock was
		// down
		jdbc.update("update sandboxes set status = 'RUNNING' where id = ?", id);
		docker.removeBehindAirlocksBack(id);

		reconciler.reconcile();

		assertThat(status(id)).isEqualTo("LOST");
	}

	@Test
	void aCreateInterruptedByACrashBecomesFailedAndItsContainerGoes() {
		var id = Ids.newId("sbx");
		var old = Timestamp.from(Instant.now().minus(Duration.ofHours(1)));
		jdbc.update("""
				insert into sandboxes (id, tenant, status, image, policy_name, policy_version, cpus, memory_mb,
				                       ttl_seconds, idle_timeout_seconds, created_by, created_at, expires_at)
				values (?, 'admin', 'CREATING', ?, 'default', 1, 1, 64, 600, 600, 'key:test', ?, ?)""", id, IMAGE, old,
				Timestamp.from(Instant.now().plusSeconds(600)));
		var container = docker
			.startSleeper(Map.of("airlock.managed", "true", "airlock.sandbox-id", id, "airlock.tenant", "admin"));

		var report = reconciler.reconcile();

		// this pass, or a periodic one of a test context that got there first (the row
		// is locked and skipped while another pass ends it)
		assertThat(report.stuckCreatesFailed).isBetween(0, 1);
		await().untilAsserted(() -> {
			var row = sandboxJson(id);
			assertThat(row.get("status").asString()).isEqualTo("FAILED");
			assertThat(row.get("endReason").asString()).isEqualTo("CREATE_INTERRUPTED");
			assertThat(docker.containerExists(container)).isFalse();
		});
	}

	@Test
	void anEndingInterruptedByACrashIsFinished() {
		var id = sandbox();
		jdbc.update(
				"update sandboxes set status = 'STOPPING', ending_status = 'EXPIRED', end_reason = 'TTL_EXPIRED' where id = ?",
				id);

		reconciler.reconcile();

		var row = sandboxJson(id);
		assertThat(row.get("status").asString()).isEqualTo("EXPIRED");
		assertThat(docker.containersOf(id)).isEmpty();
	}

	@Test
	void aRestartLosesNoRunningSandbox() {
		var id = sandbox();

		// a new service over the same database and containers, as after kill -9
		try (var restarted = SecondInstance.start(database, Map.of())) {
			var second = Api.onPort(SecondInstance.port(restarted));
			restarted.getBean(Reconciler.class).reconcile();

			assertThat(second.get("/v1/sandboxes/" + id).json().get("status").asString()).isEqualTo("RUNNING");
			var exec = second.post("/v1/sandboxes/" + id + "/exec", Map.of("command", List.of("echo", "still here")));
			assertThat(exec.json().get("stdout").asString()).isEqualTo("still here\n");
		}
		assertThat(docker.containersOf(id)).hasSize(1);
	}

	@Test
	void anInstanceThatCannotReachDockerDecidesNothing() throws Exception {
		var id = sandbox();

		try (var blind = SecondInstance.start(database,
				Map.of("airlock.runtime.docker.host", "unix:///tmp/airlock-tests-no-docker-here.sock"))) {
			blind.getBean(Reconciler.class).periodically();
			// its sweeps and event listener run meanwhile, and the sandbox stays as it is
			await().during(Duration.ofMillis(1500))
				.atMost(Duration.ofSeconds(10))
				.until(() -> status(id).equals("RUNNING"));
		}

		assertThat(status(id)).isEqualTo("RUNNING");
		assertThat(docker.containersOf(id)).hasSize(1);
	}

}
