package dev.airlock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;

import org.junit.jupiter.api.Test;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class OpenApiTests extends IntegrationTestSupport {

	/** The committed snapshot of the served document: what clients are generated from. */
	static final Path SNAPSHOT = Path.of("docs/openapi.json");

	private static final Path SERVED = Path.of("target/openapi.json");

	@Test
	void theDocumentDescribesTheContractsPathsAndTheBearerScheme() {
		var document = api.send("GET", "/v3/api-docs", null, null).json();

		var paths = new ArrayList<String>();
		document.get("paths").propertyNames().forEach(paths::add);
		assertThat(paths)
			.contains("/v1/sandboxes", "/v1/sandboxes/{id}", "/v1/policies", "/v1/policies/{name}",
					"/v1/sandboxes/{id}/exec", "/v1/sandboxes/{id}/files", "/v1/sandboxes/{id}/files/content",
					"/v1/sandboxes/{id}/egress")
			.doesNotContain("/error");
		assertThat(document.get("paths").get("/v1/sandboxes/{id}").has("delete")).isTrue();
		var scheme = document.get("components").get("securitySchemes").get("apiKey");
		assertThat(scheme.get("type").asString()).isEqualTo("http");
		assertThat(scheme.get("scheme").asString()).isEqualTo("bearer");
		assertThat(api.send("GET", "/swagger-ui/index.html", null, null).status()).isEqualTo(200);
	}

	@Test
	void theServedDocumentIsTheCommittedSnapshot() throws IOException {
		var served = pretty(api.send("GET", "/v3/api-docs", null, null).body());
		Files.createDirectories(SERVED.getParent());
		Files.writeString(SERVED, served);

		assertThat(Files.exists(SNAPSHOT) ? Files.readString(SNAPSHOT) : "")
			.as("docs/openapi.json is not the served document (written to target/openapi.json); if the change is "
					+ "meant, refresh it: cp target/openapi.json docs/openapi.json")
			.isEqualTo(served);
	}

	/**
	 * Two-space indents, keys in the served order, one final newline: as {@code jq .}
	 * prints.
	 */
	static String pretty(String json) {
		var separators = Separators.createDefaultInstance()
			.withObjectNameValueSpacing(Separators.Spacing.AFTER)
			.withObjectEmptySeparator("")
			.withArrayEmptySeparator("");
		var printer = new DefaultPrettyPrinter(separators).withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE);
		var mapper = JsonMapper.builder().build();
		return mapper.writer().with(printer).writeValueAsString(mapper.readTree(json)) + "\n";
	}

}
