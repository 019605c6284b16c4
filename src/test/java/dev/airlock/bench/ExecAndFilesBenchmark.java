package dev.airlock.bench;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import dev.airlock.Api;
import dev.airlock.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static dev.airlock.IntegrationTestSupport.IMAGE;

/**
 * Exec round trip of {@code true} through the API against raw docker-java exec (create,
 * start attached, inspect), interleaved in one process; then upload and download
 * throughput of 50 MB. Prints figures; asserts no times. Run:
 * {@code ./mvnw -Pbench test -Dtest=ExecAndFilesBenchmark}.
 */
@IntegrationTest
class ExecAndFilesBenchmark {

	static final int WARMUP = 10;
	static final int RUNS = 100;
	static final int MB = 1024 * 1024;

	@Autowired
	Api api;

	@Autowired
	DockerClient docker;

	@Test
	void execRoundTripAndFileThroughput() throws Exception {
		var id = api.createSandbox(Map.of("image", IMAGE)).json().get("id").asString();
		try {
			var container = "airlock-" + id;
			for (int i = 0; i < WARMUP; i++) {
				timeApiExec(id);
				timeRawExec(container);
			}
			var apiMillis = new ArrayList<Double>();
			var rawMillis = new ArrayList<Double>();
			for (int i = 0; i < RUNS; i++) {
				apiMillis.add(timeApiExec(id));
				rawMillis.add(timeRawExec(container));
			}
			var viaApi = CreateLatencyBenchmark.Stats.of(apiMillis);
			var raw = CreateLatencyBenchmark.Stats.of(rawMillis);
			System.out.printf("%nEXEC ROUND TRIP of `true` over %d runs (ms)%n", RUNS);
			System.out.printf("  %-42s p50 %7.1f  p95 %7.1f%n", "Airlock POST /exec", viaApi.p50(), viaApi.p95());
			System.out.printf("  %-42s p50 %7.1f  p95 %7.1f%n", "raw docker-java exec create+start+inspect", raw.p50(),
					raw.p95());
			System.out.printf("  ratio Airlock/raw: p50 %.2fx  p95 %.2fx%n", viaApi.p50() / raw.p50(),
					viaApi.p95() / raw.p95());

			var content = new byte[50 * MB];
			new Random(1).nextBytes(content);
			var uploads = new ArrayList<Double>();
			var downloads = new ArrayList<Double>();
			for (int i = 0; i < 5; i++) {
				var start = System.nanoTime();
				var put = api.send(
						HttpRequest.newBuilder(api.uri("/v1/sandboxes/" + id + "/files/content?path=/workspace/b.bin"))
							.timeout(Duration.ofMinutes(2))
							.header("Authorization", "Bearer " + Api.ADMIN_KEY)
							.PUT(HttpRequest.BodyPublishers.ofByteArray(content))
							.build());
				uploads.add(50.0 / ((System.nanoTime() - start) / 1e9));
				if (put.status() != 201) {
					throw new IllegalStateException(put.toString());
				}
				start = System.nanoTime();
				var got = api.http()
					.send(HttpRequest
						.newBuilder(api.uri("/v1/sandboxes/" + id + "/files/content?path=/workspace/b.bin"))
						.header("Authorization", "Bearer " + Api.ADMIN_KEY)
						.build(), HttpResponse.BodyHandlers.ofInputStream());
				try (var body = got.body()) {
					body.transferTo(OutputStream.nullOutputStream());
				}
				downloads.add(50.0 / ((System.nanoTime() - start) / 1e9));
			}
			var up = CreateLatencyBenchmark.Stats.of(uploads);
			var down = CreateLatencyBenchmark.Stats.of(downloads);
			System.out.printf("%nFILES, 50 MB x 5 (MB/s, median)%n  upload %.0f   download %.0f%n%n", up.p50(),
					down.p50());
		}
		finally {
			api.cleanUp();
		}
	}

	private double timeApiExec(String id) {
		var start = System.nanoTime();
		var response = api.post("/v1/sandboxes/" + id + "/exec", Map.of("command", List.of("true")));
		var millis = (System.nanoTime() - start) / 1e6;
		if (response.status() != 200) {
			throw new IllegalStateException(response.toString());
		}
		return millis;
	}

	private double timeRawExec(String container) throws Exception {
		var start = System.nanoTime();
		var execId = docker.execCreateCmd(container)
			.withCmd("true")
			.withAttachStdout(true)
			.withAttachStderr(true)
			.exec()
			.getId();
		var out = new ByteArrayOutputStream();
		try (var callback = docker.execStartCmd(execId).exec(new ResultCallback.Adapter<Frame>() {
			@Override
			public void onNext(Frame frame) {
				out.writeBytes(frame.getPayload());
			}
		})) {
			callback.awaitCompletion(30, TimeUnit.SECONDS);
		}
		docker.inspectExecCmd(execId).exec().getExitCodeLong();
		return (System.nanoTime() - start) / 1e6;
	}

}
