package dev.airlock.runtime.docker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.airlock.Dockerd;
import dev.airlock.IntegrationTestSupport;
import dev.airlock.core.Deployment;
import dev.airlock.core.Ids;
import dev.airlock.runtime.ExecOutput;
import dev.airlock.runtime.ExecSpec;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The agent outlives the connections to it: a restarted Airlock (a new process knows
 * nothing of the sessions before it) and a restarted engine (with live-restore the
 * containers keep running, the attached streams do not) both find every agent again.
 */
class AgentReconnectTests extends IntegrationTestSupport {

	@Autowired
	DockerSettings settings;

	@Autowired
	Deployment deployment;

	@Test
	void aRestartedAirlockFindsEveryRunningAgentAndExecsThrough() throws Exception {
		var first = sandbox();
		var second = sandbox(Map.of("command", List.of("sh", "-c", "echo from main; sleep 3600")));
		var restarted = new AgentChannels(settings);
		var watch = new AgentWatch(restarted, docker.client(), deployment);

		watch.start();
		try {
			await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
				for (var id : List.of(first, second)) {
					assertThat(restarted.channels()).containsKey(id);
					var session = restarted.channels().get(id).session;
					assertThat(session).isNotNull();
					assertThat(session.alive()).isTrue();
				}
			});
			var output = new StringBuilder();
			var outcome = new DockerExec(restarted).exec(first, spec("echo", "after a restart"), collect(output));
			assertThat(outcome.exitCode()).isZero();
			assertThat(output).hasToString("after a restart\n");
			assertThat(new DockerMonitoring(docker.client(), settings, new CgroupCounters(settings), restarted)
				.logs(second, 10, 4096)).isEqualTo("from main\n");
		}
		finally {
			watch.stop();
			restarted.channels().keySet().forEach(restarted::forget);
		}
		// the running service lost its sessions to the newcomer, and takes them back
		assertThat(exec(first, Map.of("command", List.of("echo", "back"))).json().get("stdout").asString())
			.isEqualTo("back\n");
		assertThat(status(first)).isEqualTo("RUNNING");
		assertThat(status(second)).isEqualTo("RUNNING");
	}

	@Test
	void anotherDeploymentsAirlockOnTheSameEngineLeavesThisOnesAgentsAlone() {
		var ours = sandbox();
		// the other deployment's sandbox: labelled as its, running
		var theirs = Ids.newId("sbx");
		var container = docker.startSleeper(
				Map.of("airlock.managed", "true", "airlock.deployment", "someone-else", "airlock.sandbox-id", theirs));
		var othersChannels = new AgentChannels(settings);
		var othersWatch = new AgentWatch(othersChannels, docker.client(), new Deployment("someone-else"));

		othersWatch.start();
		try {
			// it has looked: it found its own
			await().atMost(Duration.ofSeconds(15)).until(() -> othersChannels.channels().containsKey(theirs));

			assertThat(othersChannels.channels()).doesNotContainKey(ours);
		}
		finally {
			othersWatch.stop();
			othersChannels.channels().keySet().forEach(othersChannels::forget);
			docker.client().removeContainerCmd(container).withForce(true).exec();
		}
		assertThat(exec(ours, Map.of("command", List.of("echo", "mine"))).json().get("stdout").asString())
			.isEqualTo("mine\n");
	}

	/**
	 * The regression test of live-restore: a restart of dockerd loses no sandbox. It
	 * stays RUNNING, in the same container, and exec works afterwards.
	 */
	@Test
	void aDockerdRestartWithLiveRestoreLosesNoSandbox() throws Exception {
		var dockerd = new Dockerd(docker.client());
		try {
			dockerd.liveRestore(true);
			var id = sandbox();
			var container = docker.inspect(id).getId();
			assertThat(exec(id, Map.of("command", List.of("echo", "before"))).status()).isEqualTo(200);

			dockerd.restart();

			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(
						exec(id, Map.of("command", List.of("echo", "after"))).json().get("stdout").asString())
					.isEqualTo("after\n"));
			assertThat(status(id)).isEqualTo("RUNNING");
			assertThat(docker.inspect(id).getId()).isEqualTo(container);
			assertThat(docker.inspect(id).getState().getRunning()).isTrue();
		}
		finally {
			dockerd.restore();
		}
	}

	private static ExecSpec spec(String... command) {
		return new ExecSpec(List.of(command), Map.of(), null, null, Duration.ofSeconds(30));
	}

	private static ExecOutput collect(StringBuilder output) {
		return new ExecOutput() {
			@Override
			public void stdout(byte[] buffer, int offset, int length) {
				output.append(new String(buffer, offset, length, StandardCharsets.UTF_8));
			}

			@Override
			public void stderr(byte[] buffer, int offset, int length) {
				output.append(new String(buffer, offset, length, StandardCharsets.UTF_8));
			}
		};
	}

}
