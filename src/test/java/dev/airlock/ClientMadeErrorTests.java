package dev.airlock;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a client does to its own sandbox (symlink loops, names too long, a mount point
 * removed, a workdir through a file) is a 4xx, and no answer ever names the engine's
 * host: its data root, its layer folders, container ids.
 */
class ClientMadeErrorTests extends IntegrationTestSupport {

	private static final List<String> HOST_TEXT = List.of("/var/lib/docker", "overlay2", "/run/containerd",
			"/var/run/docker", "merged/");

	/**
	 * A symlink loop (the finding that named a {@code /var/lib/docker} path in a 502) and
	 * a removed mount point already answer 400 through the agent; a name longer than
	 * NAME_MAX did not.
	 */
	@Test
	void whatAClientMakesInItsSandboxIsAClientErrorOnEveryRouteThatWalksIt() {
		var policy = newPolicy(Map.of("readOnlyRootfs", false));
		var id = sandbox(Map.of("policy", policy));
		exec(id, Map.of("command", List.of("sh", "-c", "cd /workspace && ln -s a b && ln -s b a")));
		var files = "/v1/sandboxes/" + id + "/files";
		var longName = "/workspace/" + "n".repeat(256);
		var answers = new ArrayList<Api.Response>();
		for (var path : List.of("/workspace/a", "/workspace/a/x", longName)) {
			answers.add(api.get(files + "/content?path=" + path));
			answers.add(api.get(files + "?path=" + path));
			answers.add(api.delete(files + "?path=" + path + "/x"));
			answers.add(api.upload(id, path + "/x", "x".getBytes()));
			answers.add(exec(id, Map.of("command", List.of("pwd"), "workdir", path)));
		}
		for (var mountPoint : List.of("/workspace", "/tmp", "/etc/hosts", "/etc/resolv.conf")) {
			answers.add(api.delete(files + "?path=" + mountPoint));
		}
		answers.forEach(this::assertClientErrorWithoutHostText);
		assertThat(exec(id, Map.of("command", List.of("true"))).status()).isEqualTo(200);
	}

	@Test
	void aWorkdirTheEngineCannotMakeFailsTheCreateWithoutNamingTheHost() {
		for (var workdir : List.of("/bin/sh/x", "/etc/passwd", "/bin/busybox/x/y")) {
			var response = api.createSandbox(Map.of("image", IMAGE, "workdir", workdir));
			assertClientErrorWithoutHostText(response);
			var failed = response.json().get("sandboxId").asString();
			var sandbox = api.get("/v1/sandboxes/" + failed);
			assertThat(sandbox.json().get("status").asString()).isEqualTo("FAILED");
			assertThat(sandbox.body()).doesNotContain(HOST_TEXT);
			var audit = api.get("/v1/audit-events?sandboxId=" + failed);
			assertThat(audit.body()).doesNotContain(HOST_TEXT);
		}
	}

	private void assertClientErrorWithoutHostText(Api.Response response) {
		assertThat(response.status()).as(response.body()).isBetween(400, 499);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.body()).doesNotContain(HOST_TEXT).doesNotContainPattern("[0-9a-f]{64}");
	}

}
