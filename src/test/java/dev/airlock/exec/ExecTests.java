package dev.airlock.exec;

import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.airlock.Api;
import dev.airlock.HeapPeak;
import dev.airlock.IntegrationTestSupport;
import dev.airlock.egress.EgressDecisions;
import dev.airlock.exec.ExecEvents.ExecFinished;
import dev.airlock.exec.ExecEvents.ExecStarted;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ExecTests extends IntegrationTestSupport {

	@Autowired
	EgressDecisions egress;

	@Test
	void exitCodeAndSeparateStreams() {
		var id = sandbox();

		var response = exec(id, Map.of("command", List.of("sh", "-c", "echo out; echo err >&2; exit 3")));

		assertThat(response.status()).as(response.body()).isEqualTo(200);
		var result = response.json();
		assertThat(result.get("exitCode").asInt()).isEqualTo(3);
		assertThat(result.get("stdout").asString()).isEqualTo("out\n");
		assertThat(result.get("stderr").asString()).isEqualTo("err\n");
		assertThat(result.get("timedOut").asBoolean()).isFalse();
		assertThat(result.get("stdoutTruncated").asBoolean()).isFalse();
		assertThat(result.get("stderrTruncated").asBoolean()).isFalse();
		assertThat(result.get("durationMs").asLong()).isNotNegative();
	}

	@Test
	void theImagesOwnProgramsRunNotTheToolsOnes() {
		var id = sandbox();
		docker.exec(id, "sh", "-c", "printf '#!/bin/sh\\necho mine\\n' > /workspace/ls && chmod +x /workspace/ls");

		var result = exec(id, Map.of("command", List.of("ls"), "env", Map.of("PATH", "/workspace:/bin"))).json();

		assertThat(result.get("stdout").asString()).isEqualTo("mine\n");
	}

	@Test
	void argvIsPassedWithoutAShell() {
		var id = sandbox();

		var result = exec(id, Map.of("command", List.of("echo", "$HOME", "a;b", "*"))).json();

		assertThat(result.get("stdout").asString()).isEqualTo("$HOME a;b *\n");
	}

	@Test
	void anArgvAndEnvFarLargerThanOneFrameOfTheAgentsProtocolArriveWhole() {
		var id = sandbox();
		var argv = new ArrayList<String>(List.of("sh", "-c", "echo $# ${#1} ${#100} ${#BIG}", "sh"));
		for (int i = 0; i < 100; i++) {
			argv.add(String.valueOf((char) ('a' + i % 26)).repeat(8000));
		}

		var response = exec(id, Map.of("command", argv, "env", Map.of("BIG", "x".repeat(30_000))));

		assertThat(response.status()).as(response.body()).isEqualTo(200);
		assertThat(response.json().get("stdout").asString()).isEqualTo("100 8000 8000 30000\n");
	}

	@Test
	void stdinEndsWithARealEndOfFile() {
		var id = sandbox();
		var input = "hello\nworld\n" + "x".repeat(100_000);

		var result = exec(id, Map.of("command", List.of("cat"), "stdin", input, "timeoutSeconds", 20)).json();

		assertThat(result.get("timedOut").asBoolean()).isFalse();
		assertThat(result.get("exitCode").asInt()).isZero();
		assertThat(result.get("stdout").asString()).isEqualTo(input);
		var count = exec(id, Map.of("command", List.of("wc", "-c"), "stdin", "12345")).json();
		assertThat(count.get("stdout").asString().trim()).isEqualTo("5");
	}

	@Test
	void envAndWorkdir() {
		var id = sandbox();

		var result = exec(id, Map.of("command", List.of("sh", "-c", "echo \"$FOO\"; pwd"), "env", Map.of("FOO", "bar"),
				"workdir", "/tmp"))
			.json();

		assertThat(result.get("stdout").asString()).isEqualTo("bar\n/tmp\n");
		var defaultDir = exec(id, Map.of("command", List.of("pwd"))).json();
		assertThat(defaultDir.get("stdout").asString()).isEqualTo("/workspace\n");
	}

	@Test
	void aMissingProgramIs127AndANonExecutableOne126WithTheMessageOnStderr() {
		var id = sandbox();

		var missing = exec(id, Map.of("command", List.of("no-such-program", "x")));
		assertThat(missing.status()).isEqualTo(200);
		assertThat(missing.json().get("exitCode").asInt()).isEqualTo(127);
		assertThat(missing.json().get("stderr").asString()).contains("no-such-program");
		assertThat(missing.json().get("stdout").asString()).isEmpty();

		var notExecutable = exec(id, Map.of("command", List.of("/etc/passwd"))).json();
		assertThat(notExecutable.get("exitCode").asInt()).isEqualTo(126);
		assertThat(notExecutable.get("stderr").asString()).contains("/etc/passwd");
	}

	@Test
	void aTimeoutKillsTheWholeProcessTreeAndTheSandboxLivesOn() {
		var id = sandbox();

		var result = exec(id,
				Map.of("command",
						List.of("sh", "-c", "sleep 100 & setsid sleep 101 & (sh -c 'sleep 102' &) ; sleep 103"),
						"timeoutSeconds", 1))
			.json();

		assertThat(result.get("timedOut").asBoolean()).isTrue();
		assertThat(result.get("exitCode").asInt()).isEqualTo(137);
		var processes = docker.exec(id, "ps", "-o", "args").stdout();
		assertThat(processes).doesNotContain("sleep 100", "sleep 101", "sleep 102", "sleep 103");
		assertThat(status(id)).isEqualTo("RUNNING");
		assertThat(exec(id, Map.of("command", List.of("true"))).json().get("exitCode").asInt()).isZero();
	}

	@Test
	void aTimeoutIsCappedByThePolicy() {
		var id = sandbox(Map.of("policy", newPolicy(Map.of("maxExecSeconds", 1))));

		var result = exec(id, Map.of("command", List.of("sleep", "30"), "timeoutSeconds", 600)).json();

		// asked for 600 s, the 30 s sleep was cut short: only the policy's 1 s can have
		// done that
		assertThat(result.get("timedOut").asBoolean()).isTrue();
		assertThat(result.get("exitCode").asInt()).isEqualTo(137);
	}

	@Test
	void outputBeyondThePolicyCapIsCutAndFlagged() {
		var id = sandbox(Map.of("policy", newPolicy(Map.of("maxOutputBytes", 1000))));

		var result = exec(id, Map.of("command", List.of("sh", "-c", "yes | head -c 100000; echo small >&2"))).json();

		assertThat(result.get("stdout").asString()).hasSize(1000);
		assertThat(result.get("stdoutTruncated").asBoolean()).isTrue();
		assertThat(result.get("stderr").asString()).isEqualTo("small\n");
		assertThat(result.get("stderrTruncated").asBoolean()).isFalse();
		assertThat(result.get("exitCode").asInt()).isZero();
	}

	@Test
	void aFloodLeavesTheHeapFlat() {
		var id = sandbox();
		var before = HeapPeak.reset();

		var result = exec(id, Map.of("command", List.of("head", "-c", "300000000", "/dev/zero"), "timeoutSeconds", 60))
			.json();

		var grown = HeapPeak.peak() - before;
		assertThat(result.get("stdoutTruncated").asBoolean()).isTrue();
		assertThat(result.get("stdout").asString()).hasSize(1048576);
		assertThat(grown).as("heap growth while 300 MB went through").isLessThan(150L * 1024 * 1024);
	}

	@Test
	void serverSentEventsStreamOutputInOrderThenExit() {
		var id = sandbox();
		var request = HttpRequest.newBuilder(api.uri("/v1/sandboxes/" + id + "/exec"))
			.header("Authorization", "Bearer " + Api.ADMIN_KEY)
			.header("Content-Type", "application/json")
			.header("Accept", "text/event-stream")
			.POST(HttpRequest.BodyPublishers.ofString(Api.json(Map.of("command",
					List.of("sh", "-c", "echo one; sleep 0.3; echo two >&2; sleep 0.3; echo three; exit 4")))))
			.build();

		var response = api.send(request);

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.contentType()).startsWith("text/event-stream");
		var events = parseEvents(response.body());
		assertThat(events).extracting(e -> e[0]).containsExactly("stdout", "stderr", "stdout", "exit");
		assertThat(events.get(0)[1]).isEqualTo("one\n");
		assertThat(events.get(1)[1]).isEqualTo("two\n");
		var exit = Api.Response.parse(events.get(3)[1]);
		assertThat(exit.get("exitCode").asInt()).isEqualTo(4);
		assertThat(exit.has("stdout")).isFalse();
		assertThat(exit.get("timedOut").asBoolean()).isFalse();
	}

	@Test
	void serverSentEventsAnswerProblemsBeforeTheStreamStarts() {
		var request = HttpRequest.newBuilder(api.uri("/v1/sandboxes/sbx_missing/exec"))
			.header("Authorization", "Bearer " + Api.ADMIN_KEY)
			.header("Content-Type", "application/json")
			.header("Accept", "text/event-stream")
			.POST(HttpRequest.BodyPublishers.ofString(Api.json(Map.of("command", List.of("true")))))
			.build();

		var response = api.send(request);

		assertThat(response.status()).isEqualTo(404);
		assertThat(response.code()).isEqualTo("SANDBOX_NOT_FOUND");
	}

	@Test
	void aClientThatDisconnectsStopsTheCommand() throws Exception {
		var id = sandbox();
		try (var socket = streamExec(id, List.of("sh", "-c", "sleep 77; echo never"))) {
			assertThat(Api.readHead(socket.getInputStream())).startsWith("HTTP/1.1 200");
			assertThat(docker.exec(id, "ps", "-o", "args").stdout()).contains("sleep 77");
		}
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(docker.exec(id, "ps", "-o", "args").stdout()).doesNotContain("sleep 77"));
	}

	@Test
	void aStreamingExecWhoseClientLeavesMidStreamIsAuditedCancelled() throws Exception {
		var id = sandbox();
		try (var socket = streamExec(id, List.of("sh", "-c", "echo first; sleep 78; echo never"))) {
			var in = socket.getInputStream();
			assertThat(Api.readHead(in)).startsWith("HTTP/1.1 200");
			var seen = new StringBuilder();
			while (!seen.toString().contains("first")) {
				seen.append((char) in.read());
			}
		}

		var finished = await().atMost(Duration.ofSeconds(30))
			.until(() -> events.stream(ExecFinished.class).filter(e -> e.sandboxId().equals(id)).findFirst(),
					Optional::isPresent)
			.get();
		assertThat(finished.cancelled()).isTrue();
		// it ran until the client was found gone: not the 0 ms of a command never run
		assertThat(finished.durationMs()).isPositive();
		var audited = Api.Response.parse(jdbc.queryForObject(
				"select data from audit_events where type = 'EXEC_FINISHED' and sandbox_id = ?", String.class, id));
		assertThat(audited.get("cancelled").asBoolean()).isTrue();
		assertThat(audited.get("timedOut").asBoolean()).isFalse();
		assertThat(audited.get("durationMs").asLong()).isEqualTo(finished.durationMs());
	}

	/** Starts a streaming exec over a raw connection, which the caller closes at will. */
	Socket streamExec(String id, List<String> command) throws IOException {
		var body = Api.json(Map.of("command", command));
		var socket = new Socket("localhost", api.uri("/").getPort());
		var out = socket.getOutputStream();
		out.write(("POST /v1/sandboxes/" + id + "/exec HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
				+ Api.ADMIN_KEY + "\r\nContent-Type: application/json\r\nAccept: text/event-stream\r\nContent-Length: "
				+ body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body)
			.getBytes(StandardCharsets.UTF_8));
		out.flush();
		return socket;
	}

	@Test
	void execOnASandboxThatIsNotRunningIs409() {
		var id = sandbox();
		api.delete("/v1/sandboxes/" + id);

		var response = exec(id, Map.of("command", List.of("true")));

		assertThat(response.status()).isEqualTo(409);
		assertThat(response.code()).isEqualTo("SANDBOX_NOT_RUNNING");
		assertThat(exec("sbx_nothing", Map.of("command", List.of("true"))).code()).isEqualTo("SANDBOX_NOT_FOUND");
	}

	@Test
	void badExecRequestsAreValidationProblems() {
		var id = sandbox();
		for (var body : List.<Map<String, ?>>of(Map.of("command", List.of()), Map.of("command", List.of("")),
				Map.of("command", List.of("true"), "workdir", "relative"),
				Map.of("command", List.of("true"), "timeoutSeconds", 0),
				Map.of("command", List.of("true"), "env", Map.of("1X", "y")), Map.of("cmd", List.of("true")))) {
			var response = exec(id, body);
			assertThat(response.status()).as(body.toString()).isEqualTo(400);
			assertThat(response.code()).as(body.toString()).isEqualTo("VALIDATION_FAILED");
		}
		// a NUL would cut an argument or a variable short: refused, in the argv and in
		// env
		for (var body : List.<Map<String, ?>>of(Map.of("command", List.of("echo", "cut\u0000short")),
				Map.of("command", List.of("true"), "env", Map.of("X", "cut\u0000short")))) {
			var response = exec(id, body);
			assertThat(response.status()).as(body.toString()).isEqualTo(400);
			assertThat(response.body()).as(body.toString()).contains("must not contain NUL");
		}
	}

	@Test
	void execRefreshesLastActivity() {
		var id = sandbox();
		var before = Instant.parse(sandboxJson(id).get("lastActivityAt").asString());
		// "after" can differ only once the service's clock (this JVM's, ticking in
		// microseconds) has moved on
		await().until(() -> Instant.now().truncatedTo(ChronoUnit.MICROS).isAfter(before));

		exec(id, Map.of("command", List.of("true")));

		var after = Instant.parse(sandboxJson(id).get("lastActivityAt").asString());
		assertThat(after).isAfter(before);
	}

	@Test
	void manyExecsAtOnceOnOneSandboxAndAcrossSandboxes() throws Exception {
		var ids = List.of(sandbox(), sandbox(), sandbox());
		var results = new ArrayList<Future<Api.Response>>();
		var expected = new HashMap<Future<Api.Response>, String>();
		try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int i = 0; i < 30; i++) {
				var id = ids.get(i % ids.size());
				var word = "w" + i;
				var future = pool
					.submit(() -> exec(id, Map.of("command", List.of("sh", "-c", "sleep 0.2; echo " + word))));
				results.add(future);
				expected.put(future, word + "\n");
			}
		}
		for (var result : results) {
			assertThat(result.get().status()).isEqualTo(200);
			assertThat(result.get().json().get("stdout").asString()).isEqualTo(expected.get(result));
		}
	}

	@Test
	void eventsTellWhatRanWithoutOutputOrEnvValues() {
		var id = sandbox();
		exec(id, Map.of("command", List.of("sh", "-c", "echo secret-output; exit 2"), "env",
				Map.of("TOKEN", "env-secret")));

		var started = events.stream(ExecStarted.class).filter(e -> e.sandboxId().equals(id)).toList();
		var finished = events.stream(ExecFinished.class).filter(e -> e.sandboxId().equals(id)).toList();
		assertThat(started).hasSize(1);
		assertThat(finished).hasSize(1);
		var done = finished.getFirst();
		assertThat(done.command()).containsExactly("sh", "-c", "echo secret-output; exit 2");
		assertThat(done.exitCode()).isEqualTo(2);
		assertThat(done.stdoutBytes()).isEqualTo("secret-output\n".length());
		assertThat(done.stderrBytes()).isZero();
		assertThat(done.actor()).isEqualTo("key:ak_bootstrap");
		assertThat(done.toString() + started.getFirst()).doesNotContain("env-secret");
	}

	/**
	 * A command that says it runs (creates /workspace/{@code name}-started) and ends once
	 * /workspace/{@code name}-go exists.
	 */
	static List<String> untilGo(String name) {
		return List.of("sh", "-c", "touch /workspace/" + name + "-started; while [ ! -e /workspace/" + name
				+ "-go ]; do sleep 0.05; done");
	}

	void awaitStarted(String id, String name) {
		await().atMost(Duration.ofSeconds(30))
			.until(() -> docker.exec(id, "ls", "/workspace").stdout().contains(name + "-started"));
	}

	static List<String> strings(JsonNode array) {
		var values = new ArrayList<String>();
		array.forEach(value -> values.add(value.asString()));
		return values;
	}

	@Test
	void anExecAnswersTheDestinationsDeniedToItsSandboxWhileItRan() throws Exception {
		var id = sandbox();
		var other = sandbox();
		assertThat(strings(exec(id, Map.of("command", List.of("true"))).json().get("egressDenied"))).isEmpty();
		try (var background = Executors.newVirtualThreadPerTaskExecutor()) {
			var running = background.submit(() -> exec(id, Map.of("command", untilGo("a"))));
			awaitStarted(id, "a");
			egress.record(id, "blocked.example", 443, false);
			egress.record(id, "pypi.org", 443, true);
			egress.record(id, "2001:db8::1", 80, false);
			egress.record(id, "blocked.example", 443, false);
			egress.record(other, "elsewhere.example", 443, false);
			docker.exec(id, "touch", "/workspace/a-go");

			var result = running.get();

			assertThat(result.status()).as(result.body()).isEqualTo(200);
			assertThat(strings(result.json().get("egressDenied"))).containsExactly("blocked.example:443",
					"[2001:db8::1]:80");
		}
		// the watch ended with its exec
		egress.record(id, "later.example", 443, false);
		assertThat(strings(exec(id, Map.of("command", List.of("true"))).json().get("egressDenied"))).isEmpty();
	}

	@Test
	void theStreamsExitEventCarriesTheDestinationsDeniedWhileItRan() throws Exception {
		var id = sandbox();
		var other = sandbox();
		var request = HttpRequest.newBuilder(api.uri("/v1/sandboxes/" + id + "/exec"))
			.header("Authorization", "Bearer " + Api.ADMIN_KEY)
			.header("Content-Type", "application/json")
			.header("Accept", "text/event-stream")
			.POST(HttpRequest.BodyPublishers.ofString(Api.json(Map.of("command", untilGo("b")))))
			.build();
		try (var background = Executors.newVirtualThreadPerTaskExecutor()) {
			var running = background.submit(() -> api.send(request));
			awaitStarted(id, "b");
			egress.record(other, "elsewhere.example", 443, false);
			egress.record(id, "blocked.example", 8443, false);
			docker.exec(id, "touch", "/workspace/b-go");

			var events = parseEvents(running.get().body());

			assertThat(events).extracting(e -> e[0]).containsExactly("exit");
			var exit = Api.Response.parse(events.getFirst()[1]);
			assertThat(exit.get("exitCode").asInt()).isZero();
			assertThat(strings(exit.get("egressDenied"))).containsExactly("blocked.example:8443");
		}
	}

	static List<String[]> parseEvents(String stream) {
		var events = new ArrayList<String[]>();
		for (var block : stream.split("\n\n")) {
			String name = null;
			var data = new ArrayList<String>();
			for (var line : block.split("\n")) {
				if (line.startsWith("event: ")) {
					name = line.substring(7);
				}
				else if (line.startsWith("data: ")) {
					data.add(line.substring(6));
				}
			}
			if (name != null) {
				events.add(new String[] { name, String.join("\n", data) });
			}
		}
		return events;
	}

}
