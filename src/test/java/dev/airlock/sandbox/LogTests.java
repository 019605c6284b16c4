package dev.airlock.sandbox;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.airlock.Api;
import dev.airlock.IntegrationTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The main process's output, kept by the agent in a bounded ring: its tail as text, or
 * followed as Server-Sent Events until the sandbox ends.
 */
class LogTests extends IntegrationTestSupport {

	@Test
	void followingStreamsTheTailThenNewOutputUntilTheSandboxEnds() throws Exception {
		var id = sandbox(Map.of("command",
				List.of("sh", "-c", "echo first; sleep 1; echo second >&2; sleep 1; echo third; sleep 1")));

		var start = System.nanoTime();
		var response = api.http()
			.send(HttpRequest.newBuilder(api.uri("/v1/sandboxes/" + id + "/logs?follow=true"))
				.timeout(Duration.ofSeconds(30))
				.header("Authorization", "Bearer " + Api.ADMIN_KEY)
				.header("Accept", "text/event-stream")
				.build(), HttpResponse.BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("content-type"))
			.hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
		assertThat(response.body()).containsSubsequence("event: stdout\ndata: first", "event: stderr\ndata: second",
				"event: stdout\ndata: third");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the stream lasted as long as the main process")
			.isGreaterThan(Duration.ofMillis(1500));
		assertThat(awaitEnd(id, Duration.ofSeconds(10)).get("endReason").asString()).isEqualTo("MAIN_PROCESS_EXITED");
	}

	@Test
	void aFollowThatIsNotAnEventStreamIsNotAcceptable() {
		var id = sandbox();

		var response = api.send(HttpRequest.newBuilder(api.uri("/v1/sandboxes/" + id + "/logs?follow=true"))
			.header("Authorization", "Bearer " + Api.ADMIN_KEY)
			.header("Accept", "text/plain")
			.build());

		assertThat(response.status()).isEqualTo(406);
		assertThat(response.code()).isEqualTo("NOT_ACCEPTABLE");
	}

	@Test
	void theRingKeepsTheNewestOutputOfAFlood() {
		var id = sandbox(Map.of("command", List.of("sh", "-c", "seq 1 300000; echo the end; sleep 600")));

		await().atMost(Duration.ofSeconds(20))
			.until(() -> api.get("/v1/sandboxes/" + id + "/logs?tail=1").body().equals("the end\n"));
		var all = api.get("/v1/sandboxes/" + id + "/logs?tail=100000").body();

		assertThat(all.length()).as("what the ring kept").isLessThanOrEqualTo(1024 * 1024);
		assertThat(api.get("/v1/sandboxes/" + id + "/logs?tail=0").body()).as("no lines asked, none given").isEmpty();
		assertThat(all).doesNotContain("\n1\n2\n3\n").endsWith("300000\nthe end\n");
	}

}
