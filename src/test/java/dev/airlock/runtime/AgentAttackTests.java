package dev.airlock.runtime;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import dev.airlock.Api;
import dev.airlock.IntegrationTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a hostile process inside a sandbox tries against the agent and the channel behind
 * it: races on uploads, memory through uploads, processes that escape an exec, floods,
 * killing, freezing, and lying to the agent's peer. Each of these failed before exec,
 * files and logs went through the agent.
 */
class AgentAttackTests extends IntegrationTestSupport {

	@Test
	void aSymlinkSwappedInALoopDuringAHundredUploadsTakesNothingOutOfTheWritableFolder() throws Exception {
		var id = sandbox();
		// swaps /workspace/d between a folder and a symlink to /etc until told to stop
		var swapper = CompletableFuture.supplyAsync(() -> exec(id, Map.of("command", List.of("sh", "-c", """
				cd /workspace && mkdir -p d
				while [ ! -e /workspace/stop ]; do
				  mv d d.real; ln -s /etc d; rm d; mv d.real d 2>/dev/null
				  mv d d.real; ln -s / d; rm d; mv d.real d 2>/dev/null
				done
				"""), "timeoutSeconds", 120)));
		var landed = 0;
		for (int i = 0; i < 100; i++) {
			var response = api.upload(id, "/workspace/d/race-" + i, ("upload " + i).getBytes());
			assertThat(response.status()).as(response.body()).isIn(201, 400, 403, 404);
			landed += response.status() == 201 ? 1 : 0;
		}
		api.upload(id, "/workspace/stop", new byte[0]);
		assertThat(swapper.get().status()).isEqualTo(200);

		var changed = docker.client().containerDiffCmd(docker.inspect(id).getId()).exec();
		assertThat(changed).as("the container's own filesystem layer").noneMatch(c -> c.getPath().contains("race-"));
		var rootOwned = exec(id, Map.of("command", List.of("find", "/workspace", "-user", "0"))).json();
		assertThat(rootOwned.get("stdout").asString()).as("files owned by root").isEmpty();
		var found = exec(id, Map.of("command", List.of("sh", "-c", "find / -xdev -name 'race-*' 2>/dev/null"))).json();
		assertThat(found.get("stdout").asString().lines()).allMatch(path -> path.startsWith("/workspace/"));
		assertThat(landed).as("uploads that landed (in the real folder)").isPositive();
	}

	@Test
	void anUploadBeyondTheMemoryLimitIsRefusedWhileHostMemoryStaysFlat() throws Exception {
		var policy = newPolicy(Map.of("memoryMb", 32, "diskMb", 512, "maxUploadBytes", 256L << 20));
		var id = sandbox(Map.of("policy", policy));
		var shmemBefore = hostShmemBytes();

		var response = api.upload(id, "/workspace/big.bin", new byte[96 << 20]);

		assertThat(response.status()).as(response.body()).isEqualTo(507);
		assertThat(response.code()).isEqualTo("STORAGE_FULL");
		assertThat(response.json().get("detail").asString()).contains("memory");
		assertThat(hostShmemBytes() - shmemBefore).as("host memory taken by the upload").isLessThan(40L << 20);
		assertThat(status(id)).isEqualTo("RUNNING");
		assertThat(api.upload(id, "/workspace/small.txt", "still works".getBytes()).status()).isEqualTo(201);
		assertThat(exec(id, Map.of("command", List.of("ls", "/workspace"))).json().get("stdout").asString())
			.isEqualTo("small.txt\n");
	}

	@Test
	void processesThatLeaveAnExecAreKilledWhenItReturns() {
		var id = sandbox();

		var result = exec(id,
				Map.of("command", List.of("sh", "-c",
						"env -i sleep 1001 & setsid sleep 1002 & (sleep 1003 &) ; sh -c 'sleep 1004 &'; echo started")))
			.json();

		assertThat(result.get("stdout").asString()).isEqualTo("started\n");
		assertThat(sleepers(id)).as("processes left behind").isEmpty();
	}

	@Test
	void processesThatLeaveAnExecAreKilledOnTimeout() {
		var id = sandbox();

		var result = exec(id,
				Map.of("command", List.of("sh", "-c",
						"env -i sleep 1001 & setsid sleep 1002 & (sleep 1003 &) ; sh -c 'sleep 1004 &'; sleep 1005"),
						"timeoutSeconds", 1))
			.json();

		assertThat(result.get("timedOut").asBoolean()).isTrue();
		assertThat(result.get("exitCode").asLong()).isEqualTo(137);
		assertThat(sleepers(id)).as("processes left behind").isEmpty();
	}

	@Test
	void aMainProcessFloodingItsOutputKeepsDockerdIdle() throws Exception {
		var id = sandbox(Map.of("command", List.of("yes", "flood flood flood flood flood flood flood flood")));
		Thread.sleep(500);
		var before = dockerdCpuSeconds();
		var start = System.nanoTime();

		Thread.sleep(3000);

		var share = (dockerdCpuSeconds() - before) / ((System.nanoTime() - start) / 1e9);
		System.out.printf("dockerd's CPU while a sandbox floods its output: %.1f%% of a core%n", share * 100);
		assertThat(share).as("dockerd's share of a core").isLessThan(0.15);
		assertThat(api.get("/v1/sandboxes/" + id + "/logs?tail=3").body()).contains("flood flood");
		assertThat(status(id)).isEqualTo("RUNNING");
	}

	@Test
	void nothingInsideCanKillOrFreezeTheAgent() {
		var id = sandbox();

		// the kernel protects a PID namespace's init from its own processes
		docker.exec(id, "sh", "-c", "kill -KILL 1; kill -STOP 1; kill -KILL $(pidof airlock-agent)");

		assertThat(exec(id, Map.of("command", List.of("echo", "alive"))).json().get("stdout").asString())
			.isEqualTo("alive\n");
		assertThat(status(id)).isEqualTo("RUNNING");
	}

	@Test
	void theAgentToldToStopFromInsideEndsTheSandboxAgentLost() {
		var id = sandbox();
		var start = System.nanoTime();

		docker.exec(id, "kill", "-TERM", "1");

		var ended = awaitEnd(id, Duration.ofSeconds(10));
		System.out.printf("agent stopped from inside → sandbox ended in %d ms%n",
				(System.nanoTime() - start) / 1_000_000);
		assertThat(ended.get("status").asString()).isEqualTo("KILLED");
		assertThat(ended.get("endReason").asString()).isEqualTo("AGENT_LOST");
	}

	@Test
	void theAgentKilledEndsTheSandboxAgentLost() throws Exception {
		var id = sandbox();
		var start = System.nanoTime();

		// the kernel's OOM killer, say, or anything outside the sandbox
		signal("KILL", agentHostPid(id));

		var ended = awaitEnd(id, Duration.ofSeconds(10));
		System.out.printf("agent killed → sandbox ended in %d ms%n", (System.nanoTime() - start) / 1_000_000);
		assertThat(ended.get("status").asString()).isEqualTo("KILLED");
		assertThat(ended.get("endReason").asString()).isEqualTo("AGENT_LOST");
	}

	@Test
	void anAgentThatHangsEndsTheSandboxAgentLost() throws Exception {
		var id = sandbox();
		var start = System.nanoTime();

		signal("STOP", agentHostPid(id));

		var ended = awaitEnd(id, Duration.ofSeconds(15));
		System.out.printf("agent hung → sandbox ended in %d ms%n", (System.nanoTime() - start) / 1_000_000);
		assertThat(ended.get("status").asString()).isEqualTo("KILLED");
		assertThat(ended.get("endReason").asString()).isEqualTo("AGENT_LOST");
		assertThat(ended.get("endDetail").asString()).contains("sent nothing");
	}

	@Test
	void theChannelIsOutOfReachOfTheSandboxsOwnProcesses() {
		var id = sandbox();

		for (var pid : List.of("1", "$(pidof airlock-agent)")) {
			var write = docker.exec(id, "sh", "-c", "echo forged > /proc/" + pid + "/fd/1");
			var read = docker.exec(id, "sh", "-c", "head -c 1 /proc/" + pid + "/fd/0");
			assertThat(write.exitCode()).as(pid + ": " + write.stderr()).isNotZero();
			assertThat(read.exitCode()).as(pid + ": " + read.stderr()).isNotZero();
		}
		assertThat(exec(id, Map.of("command", List.of("echo", "fine"))).json().get("stdout").asString())
			.isEqualTo("fine\n");
	}

	@Test
	void garbageOnTheChannelFailsThatSandboxCleanlyWhileAnotherSandboxGoesOn() throws Exception {
		var victim = sandbox();
		var bystander = sandbox();
		var pending = CompletableFuture
			.supplyAsync(() -> exec(victim, Map.of("command", List.of("sleep", "30"), "timeoutSeconds", 60)));
		var bystanderExecs = new AtomicInteger();
		var failures = new ArrayList<String>();
		try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
			var running = pool.submit(() -> {
				for (int i = 0; i < 40; i++) {
					var response = exec(bystander, Map.of("command", List.of("echo", "still here")));
					if (response.status() != 200) {
						synchronized (failures) {
							failures.add(response.toString());
						}
					}
					bystanderExecs.incrementAndGet();
				}
				return null;
			});
			Thread.sleep(300);

			// what a process that got hold of the agent's stdout could do (none can: the
			// agent is not dumpable), done from the host: garbage where the frames go
			var garbage = new byte[70_000];
			new Random(7).nextBytes(garbage);
			Files.write(Path.of("/proc", String.valueOf(agentHostPid(victim)), "fd", "1"), garbage);

			var answer = pending.get();
			assertThat(answer.status()).as(answer.body()).isIn(409, 502);
			assertThat(answer.isJson()).isTrue();
			var ended = awaitEnd(victim, Duration.ofSeconds(10));
			assertThat(ended.get("endReason").asString()).isEqualTo("AGENT_LOST");
			running.get();
		}
		assertThat(failures).isEmpty();
		assertThat(bystanderExecs).hasValue(40);
		assertThat(status(bystander)).isEqualTo("RUNNING");
	}

	@Test
	void aFollowerThatNeverReadsHoldsUpNeitherTheAgentNorAnyoneElse() throws Exception {
		var id = sandbox(Map.of("command", List.of("yes", "flood flood flood flood flood flood flood flood")));
		var uri = api.uri("/v1/sandboxes/" + id + "/logs?follow=true");
		try (var socket = new Socket(uri.getHost(), uri.getPort())) {
			socket.setReceiveBufferSize(4096);
			var request = "GET " + uri.getRawPath() + "?" + uri.getRawQuery() + " HTTP/1.1\r\nHost: localhost\r\n"
					+ "Authorization: Bearer " + Api.ADMIN_KEY + "\r\nAccept: text/event-stream\r\n\r\n";
			socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
			// the client reads nothing while the main process floods its output
			Thread.sleep(3000);

			var answer = exec(id, Map.of("command", List.of("echo", "still served"), "timeoutSeconds", 10));
			assertThat(answer.status()).as(answer.body()).isEqualTo(200);
			assertThat(answer.json().get("stdout").asString()).isEqualTo("still served\n");
			var memory = Long.parseLong(Files
				.readString(
						Path.of("/sys/fs/cgroup/memory/docker", docker.inspect(id).getId(), "memory.usage_in_bytes"))
				.strip());
			assertThat(memory).as("the sandbox's memory (its agent's buffers included)").isLessThan(64L << 20);
		}
		assertThat(status(id)).isEqualTo("RUNNING");
	}

	@Test
	void tooManyCallsAtOnceAreRefusedAsBusyNotTakenForALostAgent() throws Exception {
		var id = sandbox(Map.of("policy", newPolicy(Map.of("pidsLimit", 1024))));
		var statuses = new ArrayList<Integer>();
		try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
			var calls = new ArrayList<Future<Api.Response>>();
			for (int i = 0; i < 80; i++) {
				calls.add(pool.submit(() -> exec(id, Map.of("command", List.of("sleep", "3")))));
			}
			for (var call : calls) {
				statuses.add(call.get().status());
			}
		}

		assertThat(statuses).containsOnly(200, 429).contains(200, 429);
		assertThat(status(id)).isEqualTo("RUNNING");
		assertThat(exec(id, Map.of("command", List.of("echo", "after"))).json().get("stdout").asString())
			.isEqualTo("after\n");
	}

	private List<String> sleepers(String id) {
		var ps = docker.exec(id, "ps", "-o", "args");
		return ps.stdout().lines().filter(line -> line.startsWith("sleep 100")).toList();
	}

	/** The agent's pid on the host: it is the container's init. */
	private long agentHostPid(String id) throws IOException {
		var pid = docker.inspect(id).getState().getPidLong();
		assertThat(Files.readString(Path.of("/proc", String.valueOf(pid), "comm")).strip()).isEqualTo("airlock-agent");
		return pid;
	}

	private static void signal(String signal, long pid) throws IOException, InterruptedException {
		assertThat(new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).start().waitFor()).isZero();
	}

	private static long hostShmemBytes() throws IOException {
		for (var line : Files.readAllLines(Path.of("/proc/meminfo"))) {
			if (line.startsWith("Shmem:")) {
				return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
			}
		}
		throw new IllegalStateException("no Shmem in /proc/meminfo");
	}

	/** dockerd's user and system CPU time so far. */
	private static double dockerdCpuSeconds() throws IOException {
		var pid = Files.readString(Path.of("/var/run/docker.pid")).strip();
		var stat = Files.readString(Path.of("/proc", pid, "stat"), StandardCharsets.US_ASCII);
		var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
	}

}
