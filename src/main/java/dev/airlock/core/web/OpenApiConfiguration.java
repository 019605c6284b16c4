package dev.airlock.core.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document at {@code /v3/api-docs}: the contract, with its bearer-key scheme. */
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
			.components(new Components().addSecuritySchemes(BEARER, new SecurityScheme()
				.type(SecurityScheme.Type.HTTP)
				.scheme("bearer")
				.description("An Airlock API key: 'Authorization: Bearer <key>'")))
			.addSecurityItem(new SecurityRequirement().addList(BEARER));
	}
}
