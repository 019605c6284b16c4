package dev.airlock.runtime.docker;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.airlock.IntegrationTestSupport;
import dev.airlock.runtime.ContainerExec;
import dev.airlock.runtime.ExecSpec;
import dev.airlock.runtime.RuntimeError;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Exec defaults end to end: set through the runtime port on a real sandbox's agent, then
 * seen by execs through the API, under each exec's own env, across a new session.
 */
class AgentDefaultsTests extends IntegrationTestSupport {

	private static final String SCRIPT = "echo $GREETING $OTHER; pwd";

	@Autowired
	ContainerExec containers;

	@Autowired
	DockerSettings settings;

	@Test
	void anExecSeesTheDefaultsAndItsOwnEnvAndWorkdirWin() {
		var id = sandbox();

		containers.setDefaults(id, Map.of("GREETING", "from-defaults", "OTHER", "kept"), "/tmp");

		assertThat(stdout(id, Map.of("command", List.of("sh", "-c", SCRIPT)))).isEqualTo("from-defaults kept\n/tmp\n");
		assertThat(stdout(id,
				Map.of("command", List.of("sh", "-c", SCRIPT), "env", Map.of("GREETING", "own"), "workdir", "/")))
			.isEqualTo("own kept\n/\n");
	}

	@Test
	void aSecondCallReplacesTheDefaultsAndARefusedOneKeepsThem() {
		var id = sandbox();
		containers.setDefaults(id, Map.of("GREETING", "first", "OTHER", "first"), "/tmp");

		containers.setDefaults(id, Map.of("GREETING", "second"), null);
		assertThatThrownBy(() -> containers.setDefaults(id, Map.of("GREETING", "s3cret"), "/no/such/folder"))
			.isInstanceOf(RuntimeError.class)
			.hasMessageContaining("NOT_FOUND")
			.hasMessageNotContaining("s3cret");

		assertThat(stdout(id, Map.of("command", List.of("sh", "-c", "echo $GREETING \"[$OTHER]\""))))
			.isEqualTo("second []\n");
	}

	@Test
	void theDefaultsAreTheSandboxsNotTheSessions() {
		var id = sandbox();
		containers.setDefaults(id, Map.of("GREETING", "still", "OTHER", "here"), "/tmp");

		// another Airlock says HELLO: a new session, with the same agent
		var next = new AgentChannels(settings);
		try {
			var output = new CollectedOutput();
			var outcome = new DockerExec(next).exec(id,
					new ExecSpec(List.of("sh", "-c", SCRIPT), Map.of(), null, null, Duration.ofSeconds(60)), output);
			assertThat(outcome.exitCode()).as(output.stderr()).isZero();
			assertThat(output.stdout()).isEqualTo("still here\n/tmp\n");
		}
		finally {
			next.channels().keySet().forEach(next::forget);
		}
	}

	private String stdout(String id, Map<String, ?> body) {
		var response = exec(id, body);
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return response.json().get("stdout").asString();
	}

}
