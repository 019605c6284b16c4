package dev.airlock.enforcement;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.airlock.Dockerd;
import dev.airlock.IntegrationTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A restart of an engine without live-restore ends the sandboxes on it as
 * LOST/RUNTIME_RESTARTED, not as if their main processes had exited; a container stopped
 * from outside while the engine runs is no engine restart. (With live-restore nothing is
 * lost: AgentReconnectTests.)
 */
class EngineRestartTests extends IntegrationTestSupport {

	@Autowired
	Reconciler reconciler;

	@Test
	void sandboxesTheEngineStoppedOnItsWayDownAreLostWithRuntimeRestarted() throws Exception {
		var dockerd = new Dockerd(docker.client());
		try {
			dockerd.liveRestore(false);
			var withCommand = sandbox(Map.of("command", List.of("sleep", "3600")));
			var agentOnly = sandbox();

			dockerd.restart();
			// the outcomes were recorded while the engine went down; the removals waited
			// for its return (the periodic pass does this in production)
			for (var id : List.of(withCommand, agentOnly)) {
				await().atMost(Duration.ofSeconds(30)).until(() -> Set.of("STOPPING", "LOST").contains(status(id)));
			}
			reconciler.reconcile();

			for (var id : List.of(withCommand, agentOnly)) {
				var ended = awaitEnd(id, Duration.ofSeconds(30));
				assertThat(ended.get("status").asString()).as(id).isEqualTo("LOST");
				assertThat(ended.get("endReason").asString()).as(id).isEqualTo("RUNTIME_RESTARTED");
				assertThat(docker.containersOf(id)).as(id).isEmpty();
			}
		}
		finally {
			dockerd.restore();
		}
	}

	@Test
	void aContainerStoppedFromOutsideWhileTheEngineRunsIsNoEngineRestart() {
		var id = sandbox(Map.of("command", List.of("sleep", "3600")));

		// docker stop: the same SIGTERM as an engine's shutdown, from an engine that
		// answers
		docker.client().stopContainerCmd(docker.inspect(id).getId()).withTimeout(10).exec();

		var ended = awaitEnd(id, Duration.ofSeconds(30));
		assertThat(ended.get("status").asString()).isEqualTo("TERMINATED");
		assertThat(ended.get("endReason").asString()).isEqualTo("MAIN_PROCESS_EXITED");
		assertThat(ended.get("endDetail").asString()).isEqualTo("exit code 143");
	}

}
