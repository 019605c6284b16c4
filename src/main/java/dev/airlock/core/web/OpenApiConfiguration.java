package dev.airlock.core.web;

import java.util.Arrays;
import java.util.List;

import dev.airlock.core.ErrorCode;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document at {@code /v3/api-docs}: the contract, with its bearer-key scheme.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	static final String BEARER = "apiKey";

	@Bean
	OpenAPI airlockOpenApi() {
		return new OpenAPI()
			.info(new Info().title("Airlock API")
				.version("v1")
				.description("Sandboxes-as-a-service for AI agents: create, inspect and destroy isolated, "
						+ "policy-governed container sandboxes. Errors are RFC 9457 problems with a stable 'code'."))
			.components(new Components().addSecuritySchemes(BEARER,
					new SecurityScheme().type(SecurityScheme.Type.HTTP)
						.scheme("bearer")
						.description("An Airlock API key: 'Authorization: Bearer <key>'")))
			.addSecurityItem(new SecurityRequirement().addList(BEARER));
	}

	/**
	 * Every operation may answer the contract's problems: described once, referenced
	 * everywhere.
	 */
	@Bean
	OpenApiCustomizer problemResponses() {
		return openApi -> {
			var problem = new ObjectSchema().description("RFC 9457 problem with a stable machine-readable code")
				.addProperty("type", new StringSchema().format("uri"))
				.addProperty("title", new StringSchema())
				.addProperty("status", new IntegerSchema())
				.addProperty("detail", new StringSchema())
				.addProperty("instance", new StringSchema())
				.addProperty("code",
						new StringSchema()._enum(Arrays.stream(ErrorCode.values()).map(Enum::name).toList()))
				.addProperty("errors",
						new ArraySchema().items(new ObjectSchema().addProperty("field", new StringSchema())
							.addProperty("message", new StringSchema())));
			openApi.getComponents().addSchemas("Problem", problem);
			var content = new Content().addMediaType("application/problem+json",
					new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem")));
			if (openApi.getPaths() == null) {
				return;
			}
			openApi.getPaths().values().forEach(path -> path.readOperations().forEach(operation -> {
				var responses = operation.getResponses();
				for (var status : List.of("400", "401", "403", "404", "409", "429", "503")) {
					if (!responses.containsKey(status)) {
						responses.addApiResponse(status,
								new ApiResponse().description(problemDescription(status)).content(content));
					}
				}
			}));
		};
	}

	private static String problemDescription(String status) {
		return switch (status) {
			case "400" -> "Invalid request (VALIDATION_FAILED, MALFORMED_REQUEST, PATH_NOT_ALLOWED, …)";
			case "401" -> "No or an invalid API key (UNAUTHENTICATED)";
			case "403" ->
				"The key's role may not, or the policy forbids (FORBIDDEN, POLICY_VIOLATION, POLICY_NOT_ALLOWED, IMAGE_NOT_ALLOWED)";
			case "404" -> "Not found, or another tenant's (SANDBOX_NOT_FOUND, …)";
			case "409" -> "Conflict with the current state (SANDBOX_NOT_RUNNING, …)";
			case "429" -> "Quota or rate limit reached (QUOTA_EXCEEDED, RATE_LIMITED); see Retry-After";
			default -> "Docker or the database is unavailable (RUNTIME_UNAVAILABLE, DATABASE_UNAVAILABLE)";
		};
	}

}
