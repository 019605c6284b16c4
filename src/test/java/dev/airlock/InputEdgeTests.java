package dev.airlock;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static dev.airlock.ProblemResponseTests.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The edges of what a client may send: pages beyond range, JSON that names a field twice,
 * working folders in the kernel's filesystems.
 */
class InputEdgeTests extends IntegrationTestSupport {

	private static final List<String> PAGED_ROUTES = List.of("/v1/sandboxes", "/v1/audit-events", "/v1/policies",
			"/v1/api-keys");

	@Test
	void aPageBeyondRangeIs400NamingPageOnEveryPagedRoute() {
		for (var route : PAGED_ROUTES) {
			for (var query : List.of("?page=99999999", "?page=2147483647&size=500", "?page=1000001&size=1")) {
				var response = api.get(route + query);
				assertProblem(response, 400, "VALIDATION_FAILED");
				assertThat(response.json().get("errors").get(0).get("field").asString()).as(route + query)
					.isEqualTo("page");
			}
			assertThat(api.get(route + "?page=2000&size=500").status()).as(route).isEqualTo(200);
		}
	}

	@Test
	void jsonThatNamesAFieldTwiceIsMalformedNeverLastWins() {
		var policy = newPolicy(Map.of());
		var bodies = Map.of("/v1/sandboxes", "{\"image\": \"nope:1\", \"image\": \"" + IMAGE + "\"}",
				"/v1/sandboxes#env", "{\"image\": \"" + IMAGE + "\", \"env\": {\"A\": \"1\", \"A\": \"2\"}}",
				"/v1/sandboxes#workdir",
				"{\"image\": \"" + IMAGE + "\", \"workdir\": \"/proc/self/fd/3\", \"workdir\": \"/tmp\"}");
		bodies.forEach((route, body) -> assertProblem(api.post(route.replaceFirst("#.*", ""), body), 400,
				"MALFORMED_REQUEST"));
		var put = api.put("/v1/policies/" + policy, "{\"name\": \"" + policy
				+ "\", \"allowedImages\": [\"busybox:*\"], \"maxExecSeconds\": 5, \"maxExecSeconds\": 3600}");
		assertProblem(put, 400, "MALFORMED_REQUEST");
		assertThat(put.json().get("detail").asString()).contains("twice");
		assertThat(api.get("/v1/policies/" + policy).json().get("version").asInt()).isEqualTo(1);
	}

	@Test
	void aWorkdirInTheKernelsFilesystemsIsRefusedAtCreate() {
		for (var workdir : List.of("/proc/self/fd/7", "/proc/self/cwd", "/proc/1/root", "/sys/kernel", "/dev",
				"/dev/shm")) {
			var response = api.createSandbox(Map.of("image", IMAGE, "workdir", workdir));
			assertProblem(response, 400, "VALIDATION_FAILED");
			assertThat(response.json().get("errors").get(0).get("field").asString()).as(workdir).isEqualTo("workdir");
		}
	}

	@Test
	void aWorkdirInTheKernelsFilesystemsIsRefusedAtExec() {
		var id = sandbox();
		for (var workdir : List.of("/proc/self/fd/0", "/proc/self/cwd", "/proc/1/cwd", "/proc", "/sys",
				"/sys/fs/cgroup", "/dev", "/dev/shm")) {
			var response = exec(id, Map.of("command", List.of("pwd"), "workdir", workdir));
			assertProblem(response, 400, "VALIDATION_FAILED");
			assertThat(response.json().get("errors").get(0).get("field").asString()).as(workdir).isEqualTo("workdir");
		}
		assertThat(exec(id, Map.of("command", List.of("pwd"), "workdir", "/tmp")).json().get("stdout").asString())
			.isEqualTo("/tmp\n");
	}

}
