package dev.airlock.security;

import java.util.List;

import dev.airlock.core.ErrorCode;
import dev.airlock.core.ProblemWriter;
import dev.airlock.core.Problems;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

/** Stateless bearer-key security; every 401 and 403 is a problem with a code. */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	private static final String[] ALL_API_ROLES = { Role.ADMIN.name(), Role.OPERATOR.name(), Role.AGENT.name() };

	@Bean
	SecurityFilterChain api(HttpSecurity http, List<ApiKeyAuthenticator> authenticators, ProblemWriter problems,
			RateLimits rateLimits, AuthFailures failures, CorsSettings cors) throws Exception {
		// Spring Security's CORS configurer takes no processor; this one answers refusals
		// with a problem
		http.addFilter(CrossOriginFilter.of(cors, problems))
			.csrf(csrf -> csrf.disable())
			.httpBasic(basic -> basic.disable())
			.formLogin(form -> form.disable())
			.logout(logout -> logout.disable())
			.requestCache(cache -> cache.disable())
			.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.addFilterBefore(new BearerKeyFilter(authenticators, problems, rateLimits, failures),
					AnonymousAuthenticationFilter.class)
			.authorizeHttpRequests(requests -> requests
				.requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info", "/livez", "/readyz")
				.permitAll()
				.requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/v3/api-docs.yaml", "/v3/api-docs.yaml/**",
						"/swagger-ui/**", "/swagger-ui.html")
				.permitAll()
				.requestMatchers("/error")
				.permitAll()
				.requestMatchers("/actuator/prometheus")
				.hasAnyRole(Role.ADMIN.name(), Role.METRICS.name())
				.requestMatchers("/actuator/**")
				.hasRole(Role.ADMIN.name())
				.requestMatchers(HttpMethod.GET, "/v1/policies", "/v1/policies/**")
				.hasAnyRole(ALL_API_ROLES)
				.requestMatchers("/v1/policies", "/v1/policies/**")
				.hasAnyRole(Role.ADMIN.name(), Role.OPERATOR.name())
				.requestMatchers("/v1/pools", "/v1/pools/**")
				.hasAnyRole(Role.ADMIN.name(), Role.OPERATOR.name())
				.requestMatchers("/v1/sandboxes", "/v1/sandboxes/**")
				.hasAnyRole(ALL_API_ROLES)
				.requestMatchers("/mcp")
				.hasAnyRole(ALL_API_ROLES)
				.requestMatchers(HttpMethod.GET, "/v1/tenants/*/quota")
				.hasAnyRole(ALL_API_ROLES)
				.requestMatchers("/v1/tenants/**")
				.hasRole(Role.ADMIN.name())
				.requestMatchers("/v1/admin/**")
				.hasAnyRole(Role.ADMIN.name(), Role.OPERATOR.name())
				.requestMatchers(HttpMethod.GET, "/v1/api-keys", "/v1/api-keys/**")
				.hasAnyRole(Role.ADMIN.name(), Role.OPERATOR.name())
				.requestMatchers("/v1/api-keys", "/v1/api-keys/**")
				.hasRole(Role.ADMIN.name())
				.requestMatchers("/v1/audit-events/verify", "/v1/audit-events/export")
				.hasAnyRole(Role.ADMIN.name(), Role.OPERATOR.name())
				.requestMatchers("/v1/audit-events", "/v1/audit-events/**")
				.hasAnyRole(ALL_API_ROLES)
				.anyRequest()
				.hasRole(Role.ADMIN.name()))
			.exceptionHandling(errors -> errors.authenticationEntryPoint((request, response, exception) -> {
				response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
				problems.write(response,
						Problems.of(ErrorCode.UNAUTHENTICATED, "Send an API key as 'Authorization: Bearer <key>'."));
			})
				.accessDeniedHandler((request, response, exception) -> problems.write(response,
						Problems.of(ErrorCode.FORBIDDEN, "This key's role may not do that."))));
		return http.build();
	}

	/** No user store: keeps Boot from generating (and logging) a default password. */
	@Bean
	UserDetailsService noUsers() {
		return new InMemoryUserDetailsManager();
	}

}
