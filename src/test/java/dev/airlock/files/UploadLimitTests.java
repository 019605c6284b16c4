package dev.airlock.files;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.airlock.Api;
import dev.airlock.IntegrationTestSupport;
import dev.airlock.SecondInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What uploads may hold while they run: places in the tenant's
 * {@code maxConcurrentUploads}, and bytes of the host's spool; both given back however an
 * upload ends, and no spool file left behind.
 */
class UploadLimitTests extends IntegrationTestSupport {

	static final int KIB = 1024;

	static Api.Response upload(Api client, String key, String sandbox, String path, HttpRequest.BodyPublisher body) {
		return client.send(HttpRequest.newBuilder(client.uri(uploadPath(sandbox, path)))
			.timeout(Duration.ofSeconds(60))
			.header("Authorization", "Bearer " + key)
			.header("Content-Type", "application/octet-stream")
			.PUT(body)
			.build());
	}

	static Api.Response upload(Api client, String key, String sandbox, String path, int size) {
		return upload(client, key, sandbox, path, HttpRequest.BodyPublishers.ofByteArray(new byte[size]));
	}

	static String uploadPath(String sandbox, String path) {
		return "/v1/sandboxes/" + sandbox + "/files/content?path=" + path;
	}

	long leases(String tenant) {
		return jdbc.queryForObject("select count(*) from upload_leases where tenant = ?", Long.class, tenant);
	}

	/** The uploads' files in the spool, in this process's folder of it or any other. */
	static List<Path> spoolFiles(Path spool) throws IOException {
		try (Stream<Path> files = Files.walk(spool)) {
			return files.filter(file -> file.getFileName().toString().endsWith(".part")).toList();
		}
	}

	@Autowired
	UploadSlots slots;

	@Test
	void leasesThatRanOutAreRemovedWithoutWaitingForTheirTenantsNextUpload() {
		var tenant = uniqueName("t");
		// left by a replica that died; this one has no upload of its own running
		jdbc.update(
				"insert into upload_leases (id, tenant, renewed_at) values (?, ?, now() - make_interval(secs => ?))",
				uniqueName("upl"), tenant, UploadSlots.LEASE_SECONDS + 5);

		slots.renew();

		assertThat(leases(tenant)).isZero();
	}

	@Test
	void stalledUploadsHoldTheirTenantsPlacesUntilTheyEndAndNoLonger() throws Exception {
		var tenant = uniqueName("t");
		var agent = apiKey(tenant, "AGENT");
		var set = api.put("/v1/tenants/" + tenant + "/quota", Map.of("maxSandboxes", 5, "maxConcurrentUploads", 2));
		assertThat(set.status()).as(set.body()).isEqualTo(200);
		var policy = newPolicy(Map.of("maxUploadBytes", 64 * KIB));
		var id = api.createSandbox(Map.of("image", IMAGE, "policy", policy), agent).json().get("id").asString();
		var othersSandbox = sandbox();

		// completed and failed uploads (refused while spooling, or by the container) give
		// their place back
		var chunks = List.of(new byte[48 * KIB], new byte[48 * KIB]);
		for (int i = 0; i < 3; i++) {
			assertThat(upload(api, agent, id, "/workspace/f" + i, 10).status()).isEqualTo(201);
			assertThat(upload(api, agent, id, "/workspace/f" + i + "/under-a-file", 10).status()).isEqualTo(400);
			assertThat(
					upload(api, agent, id, "/workspace/big", HttpRequest.BodyPublishers.ofByteArrays(chunks)).status())
				.isEqualTo(413);
		}
		assertThat(leases(tenant)).isZero();

		var uri = api.uri(uploadPath(id, "/workspace/stalled"));
		try (var first = new StalledUpload(uri, agent, 1000, 10);
				var second = new StalledUpload(uri, agent, 1000, 10)) {
			await().until(() -> leases(tenant) == 2);

			var refused = upload(api, agent, id, "/workspace/third", 10);
			assertThat(refused.status()).as(refused.body()).isEqualTo(429);
			assertThat(refused.code()).isEqualTo("QUOTA_EXCEEDED");
			assertThat(refused.json().get("limit").asString()).isEqualTo("tenant.maxConcurrentUploads");
			assertThat(refused.header("Retry-After")).isNotEmpty();
			// another tenant's uploads are not held up
			assertThat(upload(api, Api.ADMIN_KEY, othersSandbox, "/workspace/x", 10).status()).isEqualTo(201);

			first.close(); // the client goes away mid-body
			await().until(() -> leases(tenant) == 1);
			assertThat(upload(api, agent, id, "/workspace/third", 10).status()).isEqualTo(201);
			assertThat(leases(tenant)).isEqualTo(1);
		}
		await().until(() -> leases(tenant) == 0);
	}

	@Test
	void theSpoolHasOneByteBudgetForAllUploadsAndIsEmptyAfterEveryFailure(@TempDir Path spool) throws Exception {
		try (var replica = SecondInstance.start(database, Map.of("airlock.files.spool-directory", spool.toString(),
				"airlock.files.spool-max-bytes", 1024 * KIB))) {
			var client = Api.onPort(SecondInstance.port(replica));
			try {
				var id = client.sandbox(
						Map.of("image", IMAGE, "policy", newPolicy(Map.of("maxUploadBytes", 2048 * KIB, "diskMb", 1))));
				var key = Api.ADMIN_KEY;

				// declared larger than the whole spool: refused before a byte is read
				var tooBig = upload(client, key, id, "/workspace/big", 1536 * KIB);
				assertThat(tooBig.status()).as(tooBig.body()).isEqualTo(507);
				assertThat(tooBig.code()).isEqualTo("STORAGE_FULL");
				assertThat(tooBig.json().get("detail").asString()).contains("spool");
				assertThat(spoolFiles(spool)).isEmpty();

				// a stalled upload holds what it has sent; the next one runs out of room
				var uri = client.uri(uploadPath(id, "/workspace/stalled"));
				try (var stalled = new StalledUpload(uri, key, 700 * KIB, 600 * KIB)) {
					await().until(() -> spoolFiles(spool).size() == 1
							&& Files.size(spoolFiles(spool).getFirst()) == 600 * KIB);
					var full = upload(client, key, id, "/workspace/second", 600 * KIB);
					assertThat(full.status()).as(full.body()).isEqualTo(507);
					assertThat(full.code()).isEqualTo("STORAGE_FULL");
					assertThat(full.json().get("detail").asString()).contains("spool");
					assertThat(spoolFiles(spool)).hasSize(1);
				}
				await().until(() -> spoolFiles(spool).isEmpty());

				// every byte came back: almost the whole spool fits again
				assertThat(upload(client, key, id, "/workspace/a.bin", 900 * KIB).status()).isEqualTo(201);
				// the container refuses after the upload was spooled: its folder is full,
				// or
				// the path runs through a file
				var folderFull = upload(client, key, id, "/workspace/b.bin", 900 * KIB);
				assertThat(folderFull.status()).as(folderFull.body()).isEqualTo(507);
				assertThat(folderFull.json().get("detail").asString()).doesNotContain("spool");
				assertThat(spoolFiles(spool)).isEmpty();
				assertThat(upload(client, key, id, "/workspace/a.bin/c", 100 * KIB).code())
					.isEqualTo("NOT_A_DIRECTORY");
				assertThat(spoolFiles(spool)).isEmpty();

				// over the policy's cap, sent without a length
				var capped = client
					.sandbox(Map.of("image", IMAGE, "policy", newPolicy(Map.of("maxUploadBytes", 64 * KIB))));
				var chunks = List.of(new byte[48 * KIB], new byte[48 * KIB], new byte[48 * KIB]);
				var overCap = upload(client, key, capped, "/workspace/big",
						HttpRequest.BodyPublishers.ofByteArrays(chunks));
				assertThat(overCap.status()).as(overCap.body()).isEqualTo(413);
				assertThat(spoolFiles(spool)).isEmpty();
				assertThat(upload(client, key, id, "/tmp/a.bin", 900 * KIB).status()).isEqualTo(201);
			}
			finally {
				client.cleanUp();
			}
		}
	}

}
