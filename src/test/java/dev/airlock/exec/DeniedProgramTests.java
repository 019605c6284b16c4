package dev.airlock.exec;

import java.util.List;
import java.util.Map;

import dev.airlock.IntegrationTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Denied command patterns match the program as given, by its name alone, and as the path
 * the sandbox resolves it to.
 */
class DeniedProgramTests extends IntegrationTestSupport {

	private static final String PATH = "/workspace/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

	@Test
	void aPatternWrittenForANameDeniesThatProgramByAnyPath() {
		var id = sandbox(Map.of("policy", newPolicy(Map.of("deniedCommandPatterns", List.of("(^|\\s)wget(\\s|$)")))));
		assertThat(exec(id, Map.of("command", List.of("sh", "-c",
				"mkdir -p /workspace/bin && printf '#!/bin/sh\\necho ran\\n' > /workspace/bin/wget && chmod 755 /workspace/bin/wget")))
			.status()).isEqualTo(200);

		for (var body : List.<Map<String, ?>>of(Map.of("command", List.of("/bin/wget", "-q", "http://x")),
				Map.of("command", List.of("/workspace/bin/wget")),
				Map.of("command", List.of("./wget"), "workdir", "/workspace/bin"),
				Map.of("command", List.of("../bin/wget"), "workdir", "/workspace/bin"),
				Map.of("command", List.of("wget")))) {
			var response = exec(id, body);
			assertThat(response.status()).as(body + ": " + response.body()).isEqualTo(403);
			assertThat(response.code()).isEqualTo("POLICY_VIOLATION");
		}
		assertThat(exec(id, Map.of("command", List.of("/bin/true"))).status()).isEqualTo(200);
	}

	@Test
	void aPatternWrittenForAPathDeniesTheNameThatResolvesToIt() {
		var id = sandbox(
				Map.of("policy", newPolicy(Map.of("deniedCommandPatterns", List.of("^/workspace/bin/tool\\b")))));
		exec(id, Map.of("command", List.of("sh", "-c",
				"mkdir -p /workspace/bin && printf '#!/bin/sh\\necho ran\\n' > /workspace/bin/tool && chmod 755 /workspace/bin/tool")));

		var onPath = exec(id, Map.of("command", List.of("tool"), "env", Map.of("PATH", PATH)));
		assertThat(onPath.status()).as(onPath.body()).isEqualTo(403);
		assertThat(onPath.code()).isEqualTo("POLICY_VIOLATION");
		var relative = exec(id, Map.of("command", List.of("bin/tool"), "workdir", "/workspace"));
		assertThat(relative.status()).as(relative.body()).isEqualTo(403);
		// not on the default PATH: nothing to deny, and nothing found
		var elsewhere = exec(id, Map.of("command", List.of("tool")));
		assertThat(elsewhere.status()).isEqualTo(200);
		assertThat(elsewhere.json().get("exitCode").asInt()).isEqualTo(127);
		var audit = api.get("/v1/audit-events?sandboxId=" + id + "&type=EXEC_STARTED&size=500").json().get("items");
		// the setup and the 'tool' not found started; the denied ones did not
		assertThat(audit.size()).isEqualTo(2);
	}

}
