package dev.airlock.sandbox;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.airlock.Api;
import dev.airlock.IntegrationTestSupport;
import dev.airlock.core.Deployment;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(OutputCaptureExtension.class)
class SandboxLifecycleTests extends IntegrationTestSupport {

	@Autowired
	Deployment deployment;

	@Test
	void createAnswers201WithARunningSandboxShapedLikeTheContract() {
		var before = Instant.now();
		var response = api.createSandbox(Map.of("image", IMAGE, "ttlSeconds", 120, "labels", Map.of("run", "eval-42"),
				"resources", Map.of("cpus", 0.5, "memoryMb", 64)));

		assertThat(response.status()).as(response.body()).isEqualTo(201);
		var sandbox = response.json();
		var id = sandbox.get("id").asString();
		assertThat(id).matches("sbx_[0-9a-z]{26}");
		assertThat(response.header("Location")).endsWith("/v1/sandboxes/" + id);
		assertThat(sandbox.get("tenant").asString()).isEqualTo("admin");
		assertThat(sandbox.get("status").asString()).isEqualTo("RUNNING");
		assertThat(sandbox.get("image").asString()).isEqualTo(IMAGE);
		assertThat(sandbox.get("policy").asString()).isEqualTo("default");
		assertThat(sandbox.get("policyVersion").asInt()).isPositive();
		assertThat(sandbox.get("labels").get("run").asString()).isEqualTo("eval-42");
		assertThat(sandbox.get("resources").get("cpus").asDouble()).isEqualTo(0.5);
		assertThat(sandbox.get("resources").get("memoryMb").asInt()).isEqualTo(64);
		var startedAt = Instant.parse(sandbox.get("startedAt").asString());
		assertThat(startedAt).isBetween(before.minusSeconds(1), Instant.now());
		assertThat(Instant.parse(sandbox.get("expiresAt").asString())).isEqualTo(startedAt.plusSeconds(120));
		assertThat(sandbox.get("lastActivityAt").asString()).isNotEmpty();
		for (var field : List.of("createdAt", "endedAt", "endReason", "endDetail")) {
			assertThat(sandbox.has(field)).as(field).isTrue();
		}
		assertThat(sandbox.get("endedAt").isNull()).isTrue();

		var container = docker.inspect(id);
		assertThat(container.getState().getRunning()).isTrue();
		var fetched = api.get("/v1/sandboxes/" + id);
		assertThat(fetched.status()).isEqualTo(200);
		assertThat(fetched.json()).isEqualTo(sandbox);
	}

	@Test
	void theContainerIsHardenedAsThePolicySays() {
		var id = sandbox();
		var container = docker.inspect(id);
		var host = container.getHostConfig();

		assertThat(container.getConfig().getLabels()).containsEntry("airlock.managed", "true")
			.containsEntry("airlock.sandbox-id", id)
			.containsEntry("airlock.tenant", "admin")
			.containsEntry("airlock.deployment", deployment.id());
		assertThat(host.getCapDrop()).extracting(Object::toString).containsExactly("ALL");
		assertThat(host.getCapAdd()).isNullOrEmpty();
		assertThat(host.getSecurityOpts()).contains("no-new-privileges").noneMatch(o -> o.contains("unconfined"));
		assertThat(host.getPrivileged()).isFalse();
		assertThat(host.getReadonlyRootfs()).isTrue();
		assertThat(host.getMemory()).isEqualTo(512L * 1024 * 1024);
		assertThat(host.getMemorySwap()).isEqualTo(host.getMemory());
		assertThat(host.getNanoCPUs()).isEqualTo(1_000_000_000L);
		assertThat(host.getPidsLimit()).isEqualTo(128L);
		assertThat(host.getNetworkMode()).isEqualTo("none");
		// the agent is the container's init (Docker's own would hold the agent's channel)
		assertThat(host.getInit()).isNotEqualTo(Boolean.TRUE);
		assertThat(host.getRestartPolicy().getName()).isIn("no", "", null);
		// output goes to the agent's bounded ring, never through the engine's log driver
		assertThat(host.getLogConfig().getType()).hasToString("none");
		assertThat(host.getBinds()).isNullOrEmpty();
		assertThat(container.getMounts()).noneMatch(m -> String.valueOf(m.getSource()).contains("docker.sock"));
		assertThat(container.getConfig().getUser()).isEqualTo("1000:1000");
		// the main process is the agent from Airlock's read-only volume: it needs nothing
		// from the image; with no command it alone keeps the sandbox up
		assertThat(container.getConfig().getEntrypoint()).containsExactly("/.airlock/bin/airlock-agent");
		assertThat(container.getConfig().getCmd()).containsExactly("--log-bytes", "1048576");
		assertThat(container.getMounts()).anyMatch(
				m -> m.getDestination() != null && "/.airlock".equals(m.getDestination().getPath()) && !m.getRW());
		assertThat(container.getConfig().getStdinOpen()).as("the agent's channel").isTrue();
		assertThat(container.getConfig().getStdInOnce()).isFalse();
		assertThat(container.getConfig().getTty()).isFalse();
		assertThat(container.getConfig().getWorkingDir()).isEqualTo("/workspace");

		// and the kernel agrees
		var status = docker.exec(id, "cat", "/proc/self/status").stdout();
		assertThat(status).containsPattern("CapEff:\\s+0+\\n")
			.containsPattern("NoNewPrivs:\\s+1")
			.containsPattern("Seccomp:\\s+2");
		assertThat(docker.exec(id, "id").stdout()).contains("uid=1000").contains("gid=1000");
		assertThat(docker.exec(id, "ls", "/sys/class/net").stdout().trim()).isEqualTo("lo");
		assertThat(docker.exec(id, "touch", "/rootfs-write").exitCode()).isNotZero();

		// writable paths: owned by the sandbox user, size-limited tmpfs volumes visible
		// to the archive API
		for (var path : List.of("/workspace", "/tmp")) {
			assertThat(docker.exec(id, "sh", "-c", "echo hi > " + path + "/f && cat " + path + "/f").stdout())
				.isEqualTo("hi\n");
			assertThat(docker.exec(id, "stat", "-c", "%u:%g", path).stdout().trim()).isEqualTo("1000:1000");
		}
		assertThat(container.getMounts()).extracting(m -> m.getDestination().getPath()).contains("/workspace", "/tmp");
		// Airlock's own tools: mounted read-only, the same for every sandbox of this
		// deployment, and its own
		assertThat(container.getMounts()).filteredOn(m -> m.getDestination().getPath().equals("/.airlock"))
			.singleElement()
			.satisfies(m -> assertThat(m.getRW()).isFalse())
			.satisfies(m -> assertThat(docker.inspectVolume(m.getName()).getLabels())
				.containsEntry("airlock.deployment", deployment.id()));
		assertThat(docker.exec(id, "touch", "/.airlock/x").exitCode()).isNotZero();
		var volumes = docker.volumesOf(id);
		assertThat(volumes).hasSize(2);
		for (var volume : volumes) {
			assertThat(volume.getOptions()).containsEntry("type", "tmpfs");
			assertThat(volume.getLabels()).containsEntry("airlock.deployment", deployment.id());
			assertThat(volume.getOptions().get("o")).contains("size=512m", "uid=1000", "gid=1000", "nosuid", "nodev");
		}
	}

	@Test
	void aWritablePathHoldsNoMoreThanThePolicysDiskSize() {
		var id = sandbox(Map.of("policy", newPolicy(Map.of("diskMb", 8, "memoryMb", 128))));

		var fill = docker.exec(id, "dd", "if=/dev/zero", "of=/workspace/big", "bs=1048576", "count=20");

		assertThat(fill.exitCode()).isNotZero();
		assertThat(fill.stderr()).contains("No space left");
		var size = Long.parseLong(docker.exec(id, "stat", "-c", "%s", "/workspace/big").stdout().trim());
		assertThat(size).isLessThanOrEqualTo(8L * 1024 * 1024);
	}

	@Test
	void withoutACommandTheSandboxOutlivesTheImagesOwnCmd() {
		// the seeded busybox image's CMD is "sh", which would exit at once without a
		// terminal
		var id = sandbox();
		await().during(Duration.ofSeconds(1))
			.atMost(Duration.ofSeconds(10))
			.until(() -> docker.inspect(id).getState().getRunning());
		assertThat(status(id)).isEqualTo("RUNNING");
	}

	@Test
	void anImageWithNothingButOneFileStillMakesAWorkingSandbox() throws Exception {
		// no shell, no sleep, no PATH: the agent comes from Airlock's own volume and
		// needs
		// nothing of the image
		var tar = new ByteArrayOutputStream();
		try (var out = new TarArchiveOutputStream(tar)) {
			var entry = new TarArchiveEntry("hello.txt");
			var content = "only me\n".getBytes();
			entry.setSize(content.length);
			out.putArchiveEntry(entry);
			out.write(content);
			out.closeArchiveEntry();
		}
		// docker-java's import does not stream this body through its transport; the CLI
		// does (as .ci/run seeds images)
		var cli = Files.isExecutable(Path.of("/usr/bin/docker")) ? "/usr/bin/docker" : "docker";
		var process = new ProcessBuilder(cli, "import", "-", "busybox:airlock-bare").redirectErrorStream(true).start();
		try (var in = process.getOutputStream()) {
			in.write(tar.toByteArray());
		}
		var output = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor()).as(output).isZero();

		var id = api.sandbox(Map.of("image", "busybox:airlock-bare"));

		assertThat(docker.inspect(id).getState().getRunning()).isTrue();
		assertThat(api.get("/v1/sandboxes/" + id + "/files/content?path=/hello.txt").body()).isEqualTo("only me\n");
		var missing = exec(id, Map.of("command", List.of("sh")));
		assertThat(missing.json().get("exitCode").asInt()).isEqualTo(127);
		api.put("/v1/sandboxes/" + id + "/files/content?path=/workspace/a.txt", "x");
		assertThat(api.get("/v1/sandboxes/" + id + "/files?path=/workspace").json().get(0).get("name").asString())
			.isEqualTo("a.txt");
	}

	@Test
	void aGivenCommandIsTheMainProcessExactly() {
		var id = sandbox(Map.of("command", List.of("sh", "-c", "sleep 300"), "workdir", "/tmp"));

		var config = docker.inspect(id).getConfig();
		assertThat(config.getEntrypoint()).containsExactly("/.airlock/bin/airlock-agent");
		assertThat(config.getCmd()).containsExactly("--log-bytes", "1048576", "--", "sh", "-c", "sleep 300");
		assertThat(config.getWorkingDir()).isEqualTo("/tmp");
		// the agent's child, argv exactly as given, whatever the image's ENTRYPOINT
		assertThat(docker.exec(id, "ps", "-o", "pid,args").stdout().lines().map(String::strip))
			.contains("1 /.airlock/bin/airlock-agent --log-bytes 1048576 -- sh -c sleep 300")
			.anyMatch(line -> line.endsWith(" sleep 300") && !line.startsWith("1 "));
	}

	@Test
	void deleteRemovesContainerAndVolumesKeepsTheRowAndIsIdempotent() {
		var id = sandbox();
		assertThat(docker.containersOf(id)).hasSize(1);

		var deleted = api.delete("/v1/sandboxes/" + id);

		assertThat(deleted.status()).isEqualTo(204);
		assertThat(docker.containersOf(id)).isEmpty();
		assertThat(docker.volumesOf(id)).isEmpty();
		var row = sandboxJson(id);
		assertThat(row.get("status").asString()).isEqualTo("TERMINATED");
		assertThat(row.get("endReason").asString()).isEqualTo("DELETED");
		assertThat(row.get("endedAt").isNull()).isFalse();
		assertThat(api.delete("/v1/sandboxes/" + id).status()).isEqualTo(204);
		assertThat(sandboxJson(id)).isEqualTo(row);
	}

	@Test
	void unknownSandboxIsA404Problem() {
		for (var response : List.of(api.get("/v1/sandboxes/sbx_nosuchsandbox"),
				api.delete("/v1/sandboxes/sbx_nosuchsandbox"))) {
			assertThat(response.status()).isEqualTo(404);
			assertThat(response.contentType()).startsWith("application/problem+json");
			assertThat(response.code()).isEqualTo("SANDBOX_NOT_FOUND");
		}
	}

	@Test
	void listFiltersByLabelAndStatusAndPages() {
		var run = UUID.randomUUID().toString();
		var ids = new ArrayList<String>();
		for (int i = 0; i < 3; i++) {
			ids.add(sandbox(Map.of("labels", Map.of("run", run, "n", "n" + i))));
		}
		api.delete("/v1/sandboxes/" + ids.get(0));

		var firstPage = api.get("/v1/sandboxes?label=run:" + run + "&size=2&page=0").json();
		assertThat(firstPage.get("totalItems").asLong()).isEqualTo(3);
		assertThat(firstPage.get("page").asInt()).isZero();
		assertThat(firstPage.get("size").asInt()).isEqualTo(2);
		assertThat(firstPage.get("items")).hasSize(2);
		// newest first
		assertThat(firstPage.get("items").get(0).get("id").asString()).isEqualTo(ids.get(2));
		var secondPage = api.get("/v1/sandboxes?label=run:" + run + "&size=2&page=1").json();
		assertThat(secondPage.get("items")).hasSize(1);
		assertThat(secondPage.get("items").get(0).get("id").asString()).isEqualTo(ids.get(0));

		var terminated = api.get("/v1/sandboxes?label=run:" + run + "&status=TERMINATED").json();
		assertThat(terminated.get("items")).extracting(n -> n.get("id").asString()).containsExactly(ids.get(0));
		var running = api.get("/v1/sandboxes?label=run:" + run + "&status=RUNNING").json();
		assertThat(running.get("totalItems").asLong()).isEqualTo(2);
		var both = api.get("/v1/sandboxes?label=run:" + run + "&label=n:n1").json();
		assertThat(both.get("items")).extracting(n -> n.get("id").asString()).containsExactly(ids.get(1));
		var otherTenant = api.get("/v1/sandboxes?label=run:" + run + "&tenant=someone-else").json();
		assertThat(otherTenant.get("totalItems").asLong()).isZero();
	}

	@Test
	void badListParametersAreValidationProblems() {
		for (var query : List.of("size=501", "size=0", "page=-1", "status=SLEEPING", "label=nocolon")) {
			var response = api.get("/v1/sandboxes?" + query);
			assertThat(response.status()).as(query).isEqualTo(400);
			assertThat(response.code()).as(query).isEqualTo("VALIDATION_FAILED");
		}
	}

	@Test
	void anImageThePolicyDoesNotAllowIsRefusedBeforeAnythingIsCreated() {
		var before = jdbc.queryForObject("select count(*) from sandboxes", Long.class);

		var response = api.createSandbox(Map.of("image", "nginx:latest"));

		assertThat(response.status()).isEqualTo(403);
		assertThat(response.code()).isEqualTo("IMAGE_NOT_ALLOWED");
		assertThat(response.json().get("detail").asString()).contains("nginx:latest");
		assertThat(jdbc.queryForObject("select count(*) from sandboxes", Long.class)).isEqualTo(before);
	}

	@Test
	void moreResourcesThanThePolicyGivesIsAPolicyViolation() {
		var response = api.createSandbox(Map.of("image", IMAGE, "resources", Map.of("memoryMb", 4096)));

		assertThat(response.status()).isEqualTo(403);
		assertThat(response.code()).isEqualTo("POLICY_VIOLATION");
		assertThat(response.json().get("detail").asString()).contains("memoryMb");
	}

	@Test
	void aTtlOverThePolicyMaximumIsCapped() {
		var sandbox = api.createSandbox(Map.of("image", IMAGE, "ttlSeconds", 999_999)).json();

		var started = Instant.parse(sandbox.get("startedAt").asString());
		var expires = Instant.parse(sandbox.get("expiresAt").asString());
		assertThat(Duration.between(started, expires)).isEqualTo(Duration.ofSeconds(3600));
	}

	@Test
	void validationProblemsNameEveryBadField() {
		var response = api.createSandbox(
				Map.of("image", "Not An Image!", "ttlSeconds", -5, "resources", Map.of("cpus", 0, "memoryMb", 1), "env",
						Map.of("1BAD", "x"), "command", List.of(), "policy", "Bad Name"));

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.code()).isEqualTo("VALIDATION_FAILED");
		var fields = new HashSet<String>();
		response.json().get("errors").forEach(error -> fields.add(error.get("field").asString()));
		assertThat(fields).contains("image", "ttlSeconds", "resources.cpus", "resources.memoryMb", "command", "policy");
		assertThat(fields).anyMatch(field -> field.startsWith("env"));

		var missing = api.createSandbox(Map.of());
		assertThat(missing.status()).isEqualTo(400);
		assertThat(missing.json().get("errors").get(0).get("field").asString()).isEqualTo("image");
	}

	@Test
	void unknownFieldsAreRejectedSoNothingCanBeSmuggledIn() {
		var response = api.createSandbox(Map.of("image", IMAGE, "tenant", "someone-else", "privileged", true));

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.code()).isEqualTo("VALIDATION_FAILED");
		assertThat(response.json().get("errors").get(0).get("field").asString()).isIn("tenant", "privileged");
	}

	@Test
	void anUnknownPolicyIsAValidationProblem() {
		var response = api.createSandbox(Map.of("image", IMAGE, "policy", "no-such-policy"));

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo("policy");
	}

	@Test
	void aCreateThatFailsHalfWayLeavesNothingBehindAndAFailedRow() {
		// the writable volumes exist by the time Docker refuses the container: a workdir
		// that is a file
		var response = api.createSandbox(Map.of("image", IMAGE, "workdir", "/bin/busybox"));

		assertThat(response.status()).as(response.body()).isEqualTo(422);
		assertThat(response.code()).isEqualTo("SANDBOX_START_FAILED");
		var id = response.json().get("sandboxId").asString();
		assertThat(docker.containersOf(id)).isEmpty();
		assertThat(docker.volumesOf(id)).isEmpty();
		var row = sandboxJson(id);
		assertThat(row.get("status").asString()).isEqualTo("FAILED");
		assertThat(row.get("endReason").asString()).isEqualTo("SANDBOX_START_FAILED");
		assertThat(row.get("endDetail").asString()).contains("not a directory");
		assertThat(row.get("endedAt").isNull()).isFalse();
	}

	@Test
	void aMissingImageThatCannotBePulledFailsClearlyInsteadOfHanging() {
		var response = api.createSandbox(Map.of("image", "busybox:0.0.0-airlock-missing"));

		assertThat(response.status()).isEqualTo(422);
		assertThat(response.code()).isEqualTo("IMAGE_NOT_FOUND");
		var id = response.json().get("sandboxId").asString();
		assertThat(status(id)).isEqualTo("FAILED");
		assertThat(docker.containersOf(id)).isEmpty();
	}

	@Test
	void twentyConcurrentCreatesAllSucceedWithDistinctIds() throws Exception {
		var run = UUID.randomUUID().toString();
		var policy = newPolicy(Map.of("maxSandboxesPerTenant", 20));
		var responses = new ArrayList<Future<Api.Response>>();
		try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int i = 0; i < 20; i++) {
				responses.add(pool.submit(() -> api.createSandbox(Map.of("image", IMAGE, "policy", policy, "labels",
						Map.of("run", run), "resources", Map.of("memoryMb", 32)))));
			}
		}
		var ids = new HashSet<String>();
		for (var response : responses) {
			assertThat(response.get().status()).as(response.get().body()).isEqualTo(201);
			ids.add(response.get().json().get("id").asString());
		}
		assertThat(ids).hasSize(20);
		for (var id : ids) {
			assertThat(docker.inspect(id).getState().getRunning()).isTrue();
		}
		assertThat(api.get("/v1/sandboxes?label=run:" + run + "&status=RUNNING").json().get("totalItems").asLong())
			.isEqualTo(20);
	}

	@Test
	void envValuesReachTheContainerButNeverTheDatabaseTheLogsOrTheApi(CapturedOutput output) {
		var secret = "s3cr3t-" + UUID.randomUUID();
		var response = api.createSandbox(Map.of("image", IMAGE, "env", Map.of("API_TOKEN", secret)));
		assertThat(response.status()).isEqualTo(201);
		var id = response.json().get("id").asString();

		assertThat(docker.exec(id, "sh", "-c", "echo \"$API_TOKEN\"").stdout().trim()).isEqualTo(secret);
		assertThat(response.body()).doesNotContain(secret);
		assertThat(api.get("/v1/sandboxes/" + id).body()).doesNotContain(secret);
		assertThat(api.get("/v1/sandboxes?size=500").body()).doesNotContain(secret);
		var tables = jdbc.queryForList(
				"select table_name from information_schema.tables where table_schema = current_schema()", String.class);
		assertThat(tables).contains("sandboxes", "sandbox_labels", "policies");
		for (var table : tables) {
			var hits = jdbc.queryForObject("select count(*) from \"" + table + "\" t where row_to_json(t)::text like ?",
					Long.class, "%" + secret + "%");
			assertThat(hits).as(table).isZero();
		}
		api.delete("/v1/sandboxes/" + id);
		assertThat(output.getAll()).contains(id).doesNotContain(secret);
	}

}
