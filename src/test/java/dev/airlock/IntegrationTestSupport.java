package dev.airlock;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.airlock.core.SandboxPath;
import dev.airlock.sandbox.SandboxStatus;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fixture every integration test extends: a full Airlock ({@link IntegrationTest}), a
 * client for its API and a look at the Docker daemon behind it, helpers for the sandboxes
 * and policies a test needs, and the sandboxes removed after each test.
 */
@IntegrationTest
public abstract class IntegrationTestSupport {

	/** The image of every test sandbox ({@code .ci/seed-images.sh} imports it). */
	public static final String IMAGE = "busybox:1.35";

	@Autowired
	protected Api api;

	@Autowired
	protected DockerProbe docker;

	@Autowired
	protected RecordedEvents events;

	@Autowired
	protected JdbcTemplate jdbc;

	@Autowired
	protected JdbcConnectionDetails database;

	@AfterEach
	void removeTheTestsSandboxes() {
		api.cleanUp();
	}

	/** A running sandbox of {@link #IMAGE} under the default policy; answers its id. */
	protected String sandbox() {
		return sandbox(Map.of());
	}

	/**
	 * A running sandbox of {@link #IMAGE} with these fields of the create request
	 * ({@code policy}, {@code ttlSeconds}, {@code command}…); answers its id.
	 */
	protected String sandbox(Map<String, ?> fields) {
		var body = new HashMap<String, Object>();
		body.put("image", IMAGE);
		body.putAll(fields);
		return api.sandbox(body);
	}

	/** {@code POST /v1/sandboxes/{id}/exec}: runs a command and answers the result. */
	protected Api.Response exec(String id, Map<String, ?> body) {
		return api.post("/v1/sandboxes/" + id + "/exec", body);
	}

	/** The sandbox as {@code GET /v1/sandboxes/{id}} answers it. */
	protected JsonNode sandboxJson(String id) {
		return api.get("/v1/sandboxes/" + id).json();
	}

	/** The sandbox's status ({@code RUNNING}, {@code EXPIRED}…). */
	protected String status(String id) {
		return sandboxJson(id).get("status").asString();
	}

	/**
	 * Waits until the sandbox has ended, whatever the way, and answers it as it ended.
	 */
	protected JsonNode awaitEnd(String id, Duration within) {
		return await().alias("sandbox " + id + " to end")
			.atMost(within)
			.until(() -> sandboxJson(id),
					sandbox -> SandboxStatus.valueOf(sandbox.get("status").asString()).isTerminal());
	}

	/**
	 * Creates a policy with a name of its own and these fields ({@code allowedImages} is
	 * {@code busybox:*} unless given); answers its name.
	 */
	protected String newPolicy(Map<String, ?> fields) {
		var name = uniqueName("p");
		var body = new HashMap<String, Object>();
		body.put("allowedImages", List.of("busybox:*"));
		body.putAll(fields);
		body.put("name", name);
		var response = api.post("/v1/policies", body);
		assertThat(response.status()).as(response.body()).isEqualTo(201);
		return name;
	}

	/**
	 * A new API key of {@code tenant} in {@code role} (AGENT, ADMIN…); answers its
	 * secret.
	 */
	protected String apiKey(String tenant, String role) {
		var response = api.post("/v1/api-keys", Map.of("tenant", tenant, "role", role, "name", "test " + role));
		assertThat(response.status()).as(response.body()).isEqualTo(201);
		return response.json().get("key").asString();
	}

	/**
	 * A path under {@code /workspace} of the longest length a sandbox's kernel takes
	 * (PATH_MAX with its terminating NUL), in segments of 200 {@code fill} characters.
	 */
	public static String longestPath(char fill) {
		var path = new StringBuilder("/workspace");
		while (path.length() < SandboxPath.MAX_LENGTH - 1) {
			var segment = Math.min(200, SandboxPath.MAX_LENGTH - 2 - path.length());
			path.append('/').append(String.valueOf(fill).repeat(segment));
		}
		return path.toString();
	}

	/**
	 * A name no other test run uses (policies, tenants, labels share one database):
	 * {@code prefix-} and eight hex digits.
	 */
	protected static String uniqueName(String prefix) {
		return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

}
