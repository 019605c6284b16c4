package dev.airlock.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import static dev.airlock.IntegrationTestSupport.IMAGE;

/**
 * Exec round trip of {@code true} through the API against raw docker-java exec (create,
 * start attached, inspect); 1 MiB upload and download through the API against the
 * engine's archive API ({@code PUT}/{@code GET /containers/{id}/archive}, docker-java's
 * archive copy of a one-file tar into and out of the same container); each interleaved in
 * one process so both sides see the same machine. Then upload and download throughput of
 * 50 MB. The per-key rate limit is lifted: it is not what is measured. Prints figures;
 * asserts no times. Run:
 * {@code flock /tmp/airlock-it.lock ./mvnw -Pbench test -Dtest=ExecAndFilesBenchmark}.
 */
@IntegrationTest
@TestPropertySource(
		properties = { "airlock.security.rate-limit.per-second=100000", "airlock.security.rate-limit.burst=100000" })
class ExecAndFilesBenchmark {

	static final int EXEC_WARMUP = 20;
	static final int EXEC_RUNS = Integer.getInteger("airlock.bench.exec-runs", 300);
	static final int FILE_WARMUP = 10;
	static final int FILE_RUNS = 100;
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
			for (int i = 0; i < EXEC_WARMUP; i++) {
				timeApiExec(id);
				timeRawExec(container);
			}
			var apiMillis = new ArrayList<Double>();
			var rawMillis = new ArrayList<Double>();
			for (int i = 0; i < EXEC_RUNS; i++) {
				apiMillis.add(timeApiExec(id));
				rawMillis.add(timeRawExec(container));
			}
			var viaApi = CreateLatencyBenchmark.Stats.of(apiMillis);
			var raw = CreateLatencyBenchmark.Stats.of(rawMillis);
			System.out.printf("%nEXEC ROUND TRIP of `true` over %d runs after %d warm-up, interleaved (ms)%n",
					EXEC_RUNS, EXEC_WARMUP);
			System.out.printf("  %-46s %s%n", "Airlock POST /exec", viaApi.line());
			System.out.printf("  %-46s %s%n", "raw docker-java exec create+start+inspect", raw.line());
			System.out.printf("  ratio Airlock/raw: p50 %.3fx  p95 %.3fx  p99 %.3fx  (raw/Airlock p50 %.1fx)%n",
					viaApi.p50() / raw.p50(), viaApi.p95() / raw.p95(), viaApi.p99() / raw.p99(),
					raw.p50() / viaApi.p50());

			smallFiles(id, container);
			throughput(id);
		}
		finally {
			api.cleanUp();
		}
	}

	/** 1 MiB up and down, API against the engine's archive API, interleaved. */
	private void smallFiles(String id, String container) throws IOException, InterruptedException {
		var content = new byte[MB];
		new Random(2).nextBytes(content);
		var tar = tarOf("r.bin", content);
		var apiUp = new ArrayList<Double>();
		var rawUp = new ArrayList<Double>();
		var apiDown = new ArrayList<Double>();
		var rawDown = new ArrayList<Double>();
		for (int i = 0; i < FILE_WARMUP + FILE_RUNS; i++) {
			var up = timeApiUpload(id, content);
			var rawUpload = timeRawUpload(container, tar);
			var down = timeApiDownload(id, content.length);
			var rawDownload = timeRawDownload(container, content.length);
			if (i >= FILE_WARMUP) {
				apiUp.add(up);
				rawUp.add(rawUpload);
				apiDown.add(down);
				rawDown.add(rawDownload);
			}
		}
		System.out.printf("%nFILES, 1 MiB, %d runs after %d warm-up, interleaved (ms)%n", FILE_RUNS, FILE_WARMUP);
		System.out.println("  raw = docker-java copyArchiveToContainerCmd / copyArchiveFromContainerCmd (engine"
				+ " archive API, one-file tar, /workspace of the same container)");
		row("upload   Airlock PUT /files/content", "raw PUT /containers/{id}/archive", apiUp, rawUp);
		row("download Airlock GET /files/content", "raw GET /containers/{id}/archive", apiDown, rawDown);
	}

	private static void row(String apiLabel, String rawLabel, List<Double> api, List<Double> raw) {
		var a = CreateLatencyBenchmark.Stats.of(api);
		var r = CreateLatencyBenchmark.Stats.of(raw);
		System.out.printf("  %-46s %s%n", apiLabel, a.line());
		System.out.printf("  %-46s %s%n", rawLabel, r.line());
		System.out.printf("  %-46s p50 %.2fx  p95 %.2fx  p99 %.2fx%n", "  ratio Airlock/raw", a.p50() / r.p50(),
				a.p95() / r.p95(), a.p99() / r.p99());
	}

	private void throughput(String id) throws Exception {
		var content = new byte[50 * MB];
		new Random(1).nextBytes(content);
		var uploads = new ArrayList<Double>();
		var downloads = new ArrayList<Double>();
		for (int i = 0; i < 5; i++) {
			var start = System.nanoTime();
			var put = api
				.send(HttpRequest.newBuilder(api.uri("/v1/sandboxes/" + id + "/files/content?path=/workspace/b.bin"))
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
				.send(HttpRequest.newBuilder(api.uri("/v1/sandboxes/" + id + "/files/content?path=/workspace/b.bin"))
					.header("Authorization", "Bearer " + Api.ADMIN_KEY)
					.build(), HttpResponse.BodyHandlers.ofInputStream());
			try (var body = got.body()) {
				body.transferTo(OutputStream.nullOutputStream());
			}
			downloads.add(50.0 / ((System.nanoTime() - start) / 1e9));
		}
		var up = CreateLatencyBenchmark.Stats.of(uploads);
		var down = CreateLatencyBenchmark.Stats.of(downloads);
		System.out.printf("%nFILES, 50 MB x 5 (MB/s, median)%n  upload %.0f   download %.0f%n%n", up.p50(), down.p50());
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

	private double timeApiUpload(String id, byte[] content) {
		var start = System.nanoTime();
		var put = api.upload(id, "/workspace/a.bin", content);
		var millis = (System.nanoTime() - start) / 1e6;
		if (put.status() != 201) {
			throw new IllegalStateException(put.toString());
		}
		return millis;
	}

	private double timeApiDownload(String id, int expected) throws IOException, InterruptedException {
		var start = System.nanoTime();
		var got = api.http()
			.send(HttpRequest.newBuilder(api.uri("/v1/sandboxes/" + id + "/files/content?path=/workspace/a.bin"))
				.header("Authorization", "Bearer " + Api.ADMIN_KEY)
				.build(), HttpResponse.BodyHandlers.ofByteArray());
		var millis = (System.nanoTime() - start) / 1e6;
		if (got.statusCode() != 200 || got.body().length != expected) {
			throw new IllegalStateException(got.statusCode() + " " + got.body().length + " bytes");
		}
		return millis;
	}

	private double timeRawUpload(String container, byte[] tar) {
		var start = System.nanoTime();
		docker.copyArchiveToContainerCmd(container)
			.withRemotePath("/workspace")
			.withTarInputStream(new ByteArrayInputStream(tar))
			.exec();
		return (System.nanoTime() - start) / 1e6;
	}

	private double timeRawDownload(String container, int expected) throws IOException {
		var start = System.nanoTime();
		long size;
		try (var tar = new TarArchiveInputStream(
				docker.copyArchiveFromContainerCmd(container, "/workspace/r.bin").exec())) {
			tar.getNextEntry();
			size = tar.transferTo(OutputStream.nullOutputStream());
		}
		var millis = (System.nanoTime() - start) / 1e6;
		if (size != expected) {
			throw new IllegalStateException("raw download: " + size + " bytes");
		}
		return millis;
	}

	private static byte[] tarOf(String name, byte[] content) throws IOException {
		var bytes = new ByteArrayOutputStream(content.length + 2048);
		try (var out = new TarArchiveOutputStream(bytes)) {
			var entry = new TarArchiveEntry(name);
			entry.setSize(content.length);
			entry.setMode(0644);
			entry.setIds(1000, 1000);
			out.putArchiveEntry(entry);
			out.write(content);
			out.closeArchiveEntry();
		}
		return bytes.toByteArray();
	}

}
