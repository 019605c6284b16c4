package dev.airlock.enforcement;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.airlock.Api;
import dev.airlock.IntegrationTestSupport;
import dev.airlock.SecondInstance;
import dev.airlock.SeparateDatabase;
import dev.airlock.core.Deployment;
import dev.airlock.core.Ids;
import dev.airlock.runtime.EngineIdentity;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deployments and replicas that share one engine: each reconciles and cleans up only what
 * carries its own deployment's id, and acts only on sandboxes of the engine it talks to.
 */
class SharedEngineTests extends IntegrationTestSupport {

	@Autowired
	Reconciler reconciler;

	@Autowired
	Expiry expiry;

	@Autowired
	Deployment deployment;

	@Autowired
	EngineIdentity engine;

	@Test
	void twoDeploymentsOnTwoDatabasesShareTheEngineAndKeepEverySandboxAlive() {
		var ours = List.of(sandbox(), sandbox(Map.of("command", List.of("sh", "-c", "sleep 3600"))));
		try (var database = new SeparateDatabase(this.database);
				var other = SecondInstance.start(this.database, database.properties())) {
			var theirApi = Api.onPort(SecondInstance.port(other));
			try {
				var theirs = List.of(theirApi.sandbox(Map.of("image", IMAGE)),
						theirApi.sandbox(Map.of("image", IMAGE, "command", List.of("sh", "-c", "sleep 3600"))));
				var theirDeployment = other.getBean(Deployment.class).id();
				assertThat(theirDeployment).isNotEqualTo(deployment.id());
				assertThat(docker.inspect(theirs.get(0)).getConfig().getLabels()).containsEntry("airlock.deployment",
						theirDeployment);

				for (int pass = 0; pass < 3; pass++) {
					var ourReport = reconciler.reconcile();
					var theirReport = other.getBean(Reconciler.class).reconcile();
					assertThat(ourReport.orphansRemoved + ourReport.lost).as("our pass " + pass).isZero();
					assertThat(theirReport.orphansRemoved + theirReport.lost).as("their pass " + pass).isZero();
				}

				for (var id : ours) {
					assertAlive(api, id);
				}
				for (var id : theirs) {
					assertAlive(theirApi, id);
				}
			}
			finally {
				theirApi.cleanUp();
			}
		}
	}

	private void assertAlive(Api deploymentsApi, String id) {
		assertThat(deploymentsApi.get("/v1/sandboxes/" + id).json().get("status").asString()).as(id)
			.isEqualTo("RUNNING");
		var exec = deploymentsApi.post("/v1/sandboxes/" + id + "/exec", Map.of("command", List.of("echo", "alive")));
		assertThat(exec.status()).as(exec.body()).isEqualTo(200);
		assertThat(exec.json().get("stdout").asString()).isEqualTo("alive\n");
		assertThat(docker.containersOf(id)).hasSize(1);
	}

	@Test
	void aSandboxOnAnotherEngineIsNeitherLostNorExpiredByThisReplica() {
		// another replica's, on an engine this one does not talk to: nothing of it here,
		// and its lease is over (its own replica expires it)
		var id = runningRow("another-engine-" + Ids.newId("e"), Instant.now().minusSeconds(5));
		try {
			reconciler.reconcile();
			expiry.sweep();

			assertThat(status(id)).isEqualTo("RUNNING");
		}
		finally {
			jdbc.update("update sandboxes set status = 'LOST', ended_at = now() where id = ?", id);
		}
	}

	@Test
	void aRowFromBeforeEnginesWereRecordedBelongsToTheEngineThatHasIt() {
		var here = sandbox();
		jdbc.update("update sandboxes set engine_id = null where id = ?", here);
		var gone = runningRow(null, Instant.now().plusSeconds(600));

		reconciler.reconcile();

		assertThat(status(here)).isEqualTo("RUNNING");
		assertThat(jdbc.queryForObject("select engine_id from sandboxes where id = ?", String.class, here))
			.isEqualTo(engine.engineId());
		assertThat(status(gone)).isEqualTo("LOST");
	}

	@Test
	void orphansOfThisDeploymentGoWhileOtherDeploymentsAndUnlabelledOnesWithoutARowStay() {
		var orphan = container(Map.of("airlock.deployment", deployment.id()));
		var foreign = container(Map.of("airlock.deployment", "someone-else"));
		var unlabelled = container(Map.of());
		var endedHere = Ids.newId("sbx");
		jdbc.update("""
				insert into sandboxes (id, tenant, status, image, policy_name, policy_version, cpus, memory_mb,
				                       ttl_seconds, idle_timeout_seconds, created_by, created_at, expires_at, ended_at)
				values (?, 'admin', 'TERMINATED', ?, 'default', 1, 1, 64, 600, 600, 'key:test', now(), now(), now())""",
				endedHere, IMAGE);
		var unlabelledEndedHere = container(Map.of(), endedHere);
		var orphanVolume = volume(Map.of("airlock.deployment", deployment.id()));
		var foreignVolume = volume(Map.of("airlock.deployment", "someone-else"));
		var unlabelledVolume = volume(Map.of());
		try {
			reconciler.reconcile();

			assertThat(docker.containerExists(orphan)).as("this deployment's orphan").isFalse();
			assertThat(docker.containerExists(unlabelledEndedHere)).as("unlabelled, but its row is here and ended")
				.isFalse();
			assertThat(docker.volumeExists(orphanVolume)).as("this deployment's orphan volume").isFalse();
			assertThat(docker.containerExists(foreign)).as("another deployment's").isTrue();
			assertThat(docker.containerExists(unlabelled)).as("unlabelled, with no row here").isTrue();
			assertThat(docker.volumeExists(foreignVolume)).as("another deployment's volume").isTrue();
			assertThat(docker.volumeExists(unlabelledVolume)).as("an unlabelled volume with no row here").isTrue();
		}
		finally {
			for (var container : List.of(foreign, unlabelled)) {
				docker.client().removeContainerCmd(container).withForce(true).exec();
			}
			for (var volume : List.of(foreignVolume, unlabelledVolume)) {
				docker.client().removeVolumeCmd(volume).exec();
			}
		}
	}

	/** A RUNNING row with no container on this engine. */
	private String runningRow(String engineId, Instant expiresAt) {
		var id = Ids.newId("sbx");
		var now = Timestamp.from(Instant.now());
		jdbc.update("""
				insert into sandboxes (id, tenant, status, image, policy_name, policy_version, cpus, memory_mb,
				                       ttl_seconds, idle_timeout_seconds, created_by, created_at, started_at,
				                       last_activity_at, expires_at, engine_id)
				values (?, 'admin', 'RUNNING', ?, 'default', 1, 1, 64, 600, 600, 'key:test', ?, ?, ?, ?, ?)""", id,
				IMAGE, now, now, now, Timestamp.from(expiresAt), engineId);
		return id;
	}

	private String container(Map<String, String> deploymentLabel) {
		return container(deploymentLabel, Ids.newId("sbx"));
	}

	/** A running container labelled as a sandbox's, with {@code extra} labels. */
	private String container(Map<String, String> extra, String sandboxId) {
		var labels = new HashMap<>(
				Map.of("airlock.managed", "true", "airlock.sandbox-id", sandboxId, "airlock.tenant", "admin"));
		labels.putAll(extra);
		return docker.startSleeper(labels);
	}

	private String volume(Map<String, String> extra) {
		var labels = new HashMap<>(Map.of("airlock.managed", "true", "airlock.sandbox-id", Ids.newId("sbx")));
		labels.putAll(extra);
		return docker.client().createVolumeCmd().withLabels(labels).exec().getName();
	}

}
