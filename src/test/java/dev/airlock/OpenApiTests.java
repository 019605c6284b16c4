package dev.airlock;

import java.util.ArrayList;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OpenApiTests extends IntegrationTestSupport {

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

}
