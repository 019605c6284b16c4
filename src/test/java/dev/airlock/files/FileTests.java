package dev.airlock.files;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.airlock.Api;
import dev.airlock.HeapPeak;
import dev.airlock.IntegrationTestSupport;
import dev.airlock.files.FileEvents.FileDeleted;
import dev.airlock.files.FileEvents.FileRead;
import dev.airlock.files.FileEvents.FileWritten;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class FileTests extends IntegrationTestSupport {

	Api.Response put(String id, String path, byte[] content) {
		return api.send(HttpRequest.newBuilder(api.uri("/v1/sandboxes/" + id + "/files/content?path=" + path))
			.timeout(Duration.ofSeconds(120))
			.header("Authorization", "Bearer " + Api.ADMIN_KEY)
			.header("Content-Type", "application/octet-stream")
			.PUT(HttpRequest.BodyPublishers.ofByteArray(content))
			.build());
	}

	byte[] get(String id, String path) throws Exception {
		var response = api.http()
			.send(HttpRequest.newBuilder(api.uri("/v1/sandboxes/" + id + "/files/content?path=" + path))
				.header("Authorization", "Bearer " + Api.ADMIN_KEY)
				.build(), HttpResponse.BodyHandlers.ofByteArray());
		assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(200);
		assertThat(response.headers().firstValue("content-type")).hasValue("application/octet-stream");
		return response.body();
	}

	@Test
	void binaryContentRoundTripsAndParentsAreCreatedOwnedByTheSandboxUser() throws Exception {
		var id = sandbox();
		var content = new byte[256 * 1024];
		new Random(42).nextBytes(content);
		for (int i = 0; i < 256; i++) {
			content[i] = (byte) i;
		}

		var written = put(id, "/workspace/deep/er/data.bin", content);

		assertThat(written.status()).as(written.body()).isEqualTo(201);
		assertThat(written.json().get("size").asLong()).isEqualTo(content.length);
		assertThat(written.json().get("sha256").asString()).isEqualTo(sha256(content));
		assertThat(get(id, "/workspace/deep/er/data.bin")).isEqualTo(content);
		for (var path : List.of("/workspace/deep", "/workspace/deep/er", "/workspace/deep/er/data.bin")) {
			assertThat(docker.exec(id, "stat", "-c", "%u:%g", path).stdout().trim()).as(path).isEqualTo("1000:1000");
		}
		var overwritten = put(id, "/workspace/deep/er/data.bin", "short".getBytes());
		assertThat(overwritten.status()).isEqualTo(201);
		assertThat(get(id, "/workspace/deep/er/data.bin")).isEqualTo("short".getBytes());
	}

	@Test
	void whatExecWritesTheApiReadsAndTheOtherWayRound() throws Exception {
		var id = sandbox();
		exec(id, Map.of("command", List.of("sh", "-c", "printf 'from exec' > /tmp/a.txt")));
		assertThat(new String(get(id, "/tmp/a.txt"))).isEqualTo("from exec");

		put(id, "/workspace/b.py", "print(1+1)\n".getBytes());
		var result = exec(id, Map.of("command", List.of("cat", "/workspace/b.py")));
		assertThat(result.json().get("stdout").asString()).isEqualTo("print(1+1)\n");
	}

	@Test
	void pathRulesAreCheckedBeforeAnythingElse() {
		var id = sandbox();
		for (var path : List.of("/workspace/../etc/passwd", "/workspace/a%00b", "workspace/a", "/etc/evil",
				"/workspace", "/workspacex/a", "/", "")) {
			var response = put(id, path, "x".getBytes());
			assertThat(response.status()).as(path).isEqualTo(400);
			assertThat(response.code()).as(path).isEqualTo("PATH_NOT_ALLOWED");
		}
		assertThat(api.delete("/v1/sandboxes/" + id + "/files?path=/workspace").code()).isEqualTo("PATH_NOT_ALLOWED");
		assertThat(api.delete("/v1/sandboxes/" + id + "/files?path=/etc/passwd").code()).isEqualTo("PATH_NOT_ALLOWED");
		assertThat(api.get("/v1/sandboxes/" + id + "/files/content?path=/etc/../etc/passwd").code())
			.isEqualTo("PATH_NOT_ALLOWED");
		assertThat(api.get("/v1/sandboxes/" + id + "/files?path=relative").code()).isEqualTo("PATH_NOT_ALLOWED");
	}

	@Test
	void uploadsOverThePolicyCapAre413AndLeaveNothingBehind() {
		var id = sandbox(Map.of("policy", newPolicy(Map.of("maxUploadBytes", 1024))));

		var declared = put(id, "/workspace/big", new byte[2048]);
		assertThat(declared.status()).isEqualTo(413);
		assertThat(declared.code()).isEqualTo("PAYLOAD_TOO_LARGE");

		var chunks = new ArrayList<byte[]>();
		for (int i = 0; i < 8; i++) {
			chunks.add(new byte[512]);
		}
		var chunked = api
			.send(HttpRequest.newBuilder(api.uri("/v1/sandboxes/" + id + "/files/content?path=/workspace/big"))
				.header("Authorization", "Bearer " + Api.ADMIN_KEY)
				.PUT(HttpRequest.BodyPublishers.ofByteArrays(chunks))
				.build());
		assertThat(chunked.status()).isEqualTo(413);
		assertThat(chunked.code()).isEqualTo("PAYLOAD_TOO_LARGE");
		assertThat(api.get("/v1/sandboxes/" + id + "/files?path=/workspace").json()).isEmpty();
		assertThat(put(id, "/workspace/small", new byte[1024]).status()).isEqualTo(201);
	}

	@Test
	void anUploadThatDoesNotFitTheFolderIs507() {
		var id = sandbox(Map.of("policy", newPolicy(Map.of("diskMb", 4))));

		var response = put(id, "/workspace/big.bin", new byte[6 * 1024 * 1024]);

		assertThat(response.status()).as(response.body()).isEqualTo(507);
		assertThat(response.code()).isEqualTo("STORAGE_FULL");
	}

	@Test
	void fiftyMegabytesUpAndDown() throws Exception {
		var id = sandbox();
		var content = new byte[50 * 1024 * 1024];
		new Random(7).nextBytes(content);

		var written = put(id, "/workspace/fifty.bin", content);

		assertThat(written.status()).as(written.body()).isEqualTo(201);
		assertThat(written.json().get("sha256").asString()).isEqualTo(sha256(content));
		assertThat(sha256(get(id, "/workspace/fifty.bin"))).isEqualTo(sha256(content));
	}

	@Test
	void aLargeDownloadStreamsWithoutFillingTheHeap() throws Exception {
		var id = sandbox();
		var made = exec(id, Map.of("command", List.of("sh", "-c", "head -c 200000000 /dev/zero > /workspace/big")));
		assertThat(made.json().get("exitCode").asInt()).as(made.body()).isZero();
		var before = HeapPeak.reset();

		var response = api.http()
			.send(HttpRequest.newBuilder(api.uri("/v1/sandboxes/" + id + "/files/content?path=/workspace/big"))
				.header("Authorization", "Bearer " + Api.ADMIN_KEY)
				.build(), HttpResponse.BodyHandlers.ofInputStream());
		long total;
		try (InputStream body = response.body()) {
			total = body.transferTo(OutputStream.nullOutputStream());
		}

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(total).isEqualTo(200_000_000L);
		assertThat(response.headers().firstValueAsLong("content-length")).hasValue(200_000_000L);
		assertThat(HeapPeak.peak() - before).isLessThan(150L * 1024 * 1024);
	}

	@Test
	void listingShowsFilesFoldersAndSymlinksWithoutFollowingThem() {
		var id = sandbox();
		put(id, "/workspace/a.txt", "hello".getBytes());
		put(id, "/workspace/.hidden", "h".getBytes());
		exec(id, Map.of("command", List.of("sh", "-c", "mkdir /workspace/dir && ln -s /etc /workspace/link")));

		var listing = api.get("/v1/sandboxes/" + id + "/files?path=/workspace");

		assertThat(listing.status()).as(listing.body()).isEqualTo(200);
		var byName = new HashMap<String, JsonNode>();
		listing.json().forEach(entry -> byName.put(entry.get("name").asString(), entry));
		assertThat(byName).containsOnlyKeys("a.txt", ".hidden", "dir", "link");
		assertThat(byName.get("a.txt").get("type").asString()).isEqualTo("FILE");
		assertThat(byName.get("a.txt").get("size").asLong()).isEqualTo(5);
		assertThat(byName.get("a.txt").get("path").asString()).isEqualTo("/workspace/a.txt");
		assertThat(byName.get("a.txt").get("modifiedAt").asString()).isNotEmpty();
		assertThat(byName.get("dir").get("type").asString()).isEqualTo("DIRECTORY");
		assertThat(byName.get("link").get("type").asString()).isEqualTo("SYMLINK");
	}

	@Test
	void aSymlinkNeverLeadsOutOfTheSandbox() throws Exception {
		var id = sandbox();
		exec(id, Map.of("command", List.of("sh", "-c",
				"ln -s /etc/passwd /workspace/pw && ln -s / /workspace/root && ln -s ../../../../../etc/passwd /workspace/up")));

		// the container's own /etc/passwd (it has the 'agent' user; the host's has not)
		assertThat(new String(get(id, "/workspace/pw"))).contains("agent:x:1000");
		assertThat(new String(get(id, "/workspace/up"))).contains("agent:x:1000");
		var escape = put(id, "/workspace/root/etc/evil", "x".getBytes());
		assertThat(escape.status()).as(escape.body()).isEqualTo(400);
		assertThat(docker.exec(id, "ls", "/etc").stdout()).doesNotContain("evil");
	}

	@Test
	void missingPathsAre404AndWrongKindsAre400() {
		var id = sandbox();
		put(id, "/workspace/f", "x".getBytes());

		assertThat(api.get("/v1/sandboxes/" + id + "/files/content?path=/workspace/nope").code())
			.isEqualTo("FILE_NOT_FOUND");
		assertThat(api.get("/v1/sandboxes/" + id + "/files?path=/workspace/nope").code()).isEqualTo("FILE_NOT_FOUND");
		assertThat(api.delete("/v1/sandboxes/" + id + "/files?path=/workspace/nope").code())
			.isEqualTo("FILE_NOT_FOUND");
		var folder = api.get("/v1/sandboxes/" + id + "/files/content?path=/workspace");
		assertThat(folder.status()).isEqualTo(400);
		assertThat(folder.code()).isEqualTo("NOT_A_FILE");
		var file = api.get("/v1/sandboxes/" + id + "/files?path=/workspace/f");
		assertThat(file.status()).isEqualTo(400);
		assertThat(file.code()).isEqualTo("NOT_A_DIRECTORY");
		assertThat(api.get("/v1/sandboxes/" + id + "/files?path=/workspace/f").status()).isEqualTo(400);
	}

	@Test
	void deleteRemovesFilesAndFolders() {
		var id = sandbox();
		put(id, "/workspace/dir/one", "1".getBytes());
		put(id, "/workspace/two", "2".getBytes());

		assertThat(api.delete("/v1/sandboxes/" + id + "/files?path=/workspace/dir").status()).isEqualTo(204);
		assertThat(api.delete("/v1/sandboxes/" + id + "/files?path=/workspace/two").status()).isEqualTo(204);
		assertThat(api.get("/v1/sandboxes/" + id + "/files?path=/workspace").json()).isEmpty();
	}

	@Test
	void filesOfASandboxThatIsNotRunningAre409() {
		var id = sandbox();
		api.delete("/v1/sandboxes/" + id);

		assertThat(put(id, "/workspace/x", "x".getBytes()).code()).isEqualTo("SANDBOX_NOT_RUNNING");
		assertThat(api.get("/v1/sandboxes/" + id + "/files?path=/workspace").status()).isEqualTo(409);
	}

	@Test
	void eventsCarryPathsSizesAndHashesNeverContent() throws Exception {
		var id = sandbox();
		var content = "top secret content".getBytes();
		put(id, "/workspace/s.txt", content);
		get(id, "/workspace/s.txt");
		api.delete("/v1/sandboxes/" + id + "/files?path=/workspace/s.txt");

		var written = events.stream(FileWritten.class).filter(e -> e.sandboxId().equals(id)).toList();
		var read = events.stream(FileRead.class).filter(e -> e.sandboxId().equals(id)).toList();
		var deleted = events.stream(FileDeleted.class).filter(e -> e.sandboxId().equals(id)).toList();
		assertThat(written).singleElement().satisfies(e -> {
			assertThat(e.path()).isEqualTo("/workspace/s.txt");
			assertThat(e.size()).isEqualTo(content.length);
			assertThat(e.sha256()).isEqualTo(sha256(content));
		});
		assertThat(read).singleElement().satisfies(e -> {
			assertThat(e.sha256()).isEqualTo(sha256(content));
			assertThat(e.bytes()).isEqualTo(content.length);
			assertThat(e.complete()).isTrue();
		});
		assertThat(deleted).singleElement().satisfies(e -> assertThat(e.path()).isEqualTo("/workspace/s.txt"));
		assertThat(written.toString() + read + deleted).doesNotContain("top secret");
	}

	@Test
	void aDownloadTheClientAbandonsIsAuditedWithTheBytesSent() throws Exception {
		var id = sandbox();
		var size = 16L * 1024 * 1024;
		docker.exec(id, "sh", "-c", "head -c " + size + " /dev/zero > /workspace/big");
		var mebibyte = 1024 * 1024;
		try (var socket = new Socket()) {
			// no read-ahead by the client's kernel: what the server sent is what was
			// taken
			socket.setReceiveBufferSize(64 * 1024);
			socket.connect(new InetSocketAddress("localhost", api.uri("/").getPort()));
			socket.getOutputStream()
				.write(("GET /v1/sandboxes/" + id + "/files/content?path=/workspace/big HTTP/1.1\r\nHost: localhost"
						+ "\r\nAuthorization: Bearer " + Api.ADMIN_KEY + "\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
			var in = socket.getInputStream();
			assertThat(Api.readHead(in)).startsWith("HTTP/1.1 200");
			assertThat(in.readNBytes(mebibyte)).hasSize(mebibyte);
		}

		var audited = await().atMost(Duration.ofSeconds(60))
			.until(() -> jdbc.queryForList("select data from audit_events where type = 'FILE_READ' and sandbox_id = ?",
					String.class, id), rows -> !rows.isEmpty());
		var data = Api.Response.parse(audited.getFirst());
		assertThat(data.get("complete").asBoolean()).isFalse();
		assertThat(data.get("size").asLong()).isEqualTo(size);
		assertThat(data.get("bytes").asLong()).isBetween((long) mebibyte, size - 1);
		assertThat(data.has("sha256")).isFalse();
	}

	static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (Exception e) {
			throw new IllegalStateException(e);
		}
	}

}
