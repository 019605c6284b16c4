package dev.airlock;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.core.env.Environment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Calls Airlock over real HTTP, as a client would, and remembers the sandboxes it created
 * so tests can clean up.
 */
@TestComponent
public class Api {

	public static final String ADMIN_KEY = "test-admin-key-0123456789abcdef";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final IntSupplier port;

	private final Set<String> created = ConcurrentHashMap.newKeySet();

	@Autowired
	Api(Environment environment) {
		this(() -> Integer.parseInt(environment.getProperty("local.server.port")));
	}

	private Api(IntSupplier port) {
		this.port = port;
	}

	/** A client of another Airlock in this JVM (see {@link SecondInstance}). */
	public static Api onPort(int port) {
		return new Api(() -> port);
	}

	public HttpClient http() {
		return http;
	}

	public Response get(String path) {
		return send("GET", path, null, ADMIN_KEY);
	}

	public Response post(String path, Object body) {
		return send("POST", path, body, ADMIN_KEY);
	}

	public Response put(String path, Object body) {
		return send("PUT", path, body, ADMIN_KEY);
	}

	public Response delete(String path) {
		return send("DELETE", path, null, ADMIN_KEY);
	}

	/** Creates a sandbox and registers it for {@link #cleanUp()}. */
	public Response createSandbox(Map<String, ?> body) {
		return createSandbox(body, ADMIN_KEY);
	}

	/**
	 * Creates a sandbox with {@code key} (of any tenant) and registers it for
	 * {@link #cleanUp()}.
	 */
	public Response createSandbox(Map<String, ?> body, String key) {
		var response = send("POST", "/v1/sandboxes", body, key);
		if (response.status() == 201) {
			created.add(response.json().get("id").asString());
		}
		else if (response.isJson() && response.json().has("sandboxId")) {
			created.add(response.json().get("sandboxId").asString());
		}
		return response;
	}

	/**
	 * Creates a sandbox that must come up (else the test fails here, with the problem);
	 * answers its id.
	 */
	public String sandbox(Map<String, ?> body) {
		var response = createSandbox(body);
		if (response.status() != 201) {
			throw new AssertionError("expected 201 but the create answered " + response);
		}
		return response.json().get("id").asString();
	}

	public void cleanUp() {
		for (var id : created) {
			delete("/v1/sandboxes/" + id);
		}
		created.clear();
	}

	/**
	 * {@code PUT …/files/content}: uploads {@code content} to {@code path} as the admin.
	 */
	public Response upload(String sandboxId, String path, byte[] content) {
		return send(HttpRequest.newBuilder(uri("/v1/sandboxes/" + sandboxId + "/files/content?path=" + path))
			.timeout(Duration.ofSeconds(120))
			.header("Authorization", "Bearer " + ADMIN_KEY)
			.header("Content-Type", "application/octet-stream")
			.PUT(HttpRequest.BodyPublishers.ofByteArray(content))
			.build());
	}

	public Response send(String method, String path, Object body, String key) {
		var builder = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60));
		if (key != null) {
			builder.header("Authorization", "Bearer " + key);
		}
		if (body != null) {
			var text = body instanceof String s ? s : JSON.writeValueAsString(body);
			builder.header("Content-Type", "application/json")
				.method(method, HttpRequest.BodyPublishers.ofString(text));
		}
		else {
			builder.method(method, HttpRequest.BodyPublishers.noBody());
		}
		return send(builder.build());
	}

	public Response send(HttpRequest request) {
		try {
			var response = http.send(request, HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.headers().map(), response.body());
		}
		catch (IOException e) {
			throw new IllegalStateException(e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}

	/**
	 * Reads an HTTP answer's status line and headers off a raw connection, up to the
	 * body.
	 */
	public static String readHead(InputStream in) throws IOException {
		var head = new StringBuilder();
		while (!head.toString().endsWith("\r\n\r\n")) {
			int b = in.read();
			if (b < 0) {
				break;
			}
			head.append((char) b);
		}
		return head.toString();
	}

	public URI uri(String path) {
		return URI.create("http://localhost:" + port.getAsInt() + path);
	}

	public static String json(Object value) {
		return JSON.writeValueAsString(value);
	}

	/** An HTTP answer: status, headers and body, with the body parsed on demand. */
	public record Response(int status, Map<String, List<String>> headers, String body) {

		public JsonNode json() {
			return JSON.readTree(body);
		}

		public static JsonNode parse(String json) {
			return JSON.readTree(json);
		}

		public boolean isJson() {
			return contentType().contains("json");
		}

		public String contentType() {
			return header("content-type");
		}

		public String header(String name) {
			return headers.entrySet()
				.stream()
				.filter(e -> e.getKey().equalsIgnoreCase(name))
				.flatMap(e -> e.getValue().stream())
				.findFirst()
				.orElse("");
		}

		/** The problem's machine-readable code. */
		public String code() {
			return json().path("code").asString();
		}

		@Override
		public String toString() {
			return status + " " + body;
		}
	}

}
