package dev.airlock.core.web;

import java.util.List;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI document at {@code /v3/api-docs}: the contract, with its bearer-key scheme,
 * every operation's problems ({@link ProblemResponses}) and which fields are always there
 * or may be null ({@link NullnessConverter}). {@code docs/openapi.json} is its committed
 * snapshot, the one clients are generated from.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	static final String BEARER = "apiKey";

	static {
		// a JSON value of the service's own making (an audit event's data): any object
		SpringDocUtils.getConfig()
			.replaceWithSchema(JsonNode.class,
					new ObjectSchema().description("A JSON object; its members depend on the event's type"));
	}

	@Bean
	OpenAPI airlockOpenApi() {
		return new OpenAPI()
			.info(new Info().title("Airlock API")
				.version("v1")
				.description("Sandboxes-as-a-service for AI agents: create, inspect and destroy isolated, "
						+ "policy-governed container sandboxes. Errors are RFC 9457 problems with a stable 'code'."))
			// relative: the same document whatever host serves it, and the Swagger UI of
			// a
			// deployment calls that deployment; a generated client is given its address
			.servers(List.of(new Server().url("/").description("The Airlock that serves this document")))
			.components(new Components().addSecuritySchemes(BEARER,
					new SecurityScheme().type(SecurityScheme.Type.HTTP)
						.scheme("bearer")
						.description("An Airlock API key: 'Authorization: Bearer <key>'")))
			.addSecurityItem(new SecurityRequirement().addList(BEARER));
	}

	@Bean
	ProblemResponses problemResponses() {
		return new ProblemResponses();
	}

	@Bean
	NullnessConverter nullnessConverter() {
		return new NullnessConverter();
	}

	@Bean
	SchemaFinish schemaFinish() {
		return new SchemaFinish();
	}

}
