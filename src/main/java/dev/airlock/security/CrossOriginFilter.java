package dev.airlock.security;

import java.io.IOException;
import java.util.List;

import dev.airlock.core.ErrorCode;
import dev.airlock.core.ProblemWriter;
import dev.airlock.core.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsUtils;
import org.springframework.web.cors.DefaultCorsProcessor;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

/**
 * CORS for the configured origins only. A preflight needs no key: from an allowed origin
 * it is answered with the allowance, from any other a 403 problem. An actual request from
 * another origin goes on without CORS headers (its key decides; the browser keeps the
 * answer from the page), so Airlock's own pages behind a proxy are never refused.
 */
final class CrossOriginFilter {

	private CrossOriginFilter() {
	}

	static CorsFilter of(CorsSettings settings, ProblemWriter problems) {
		var configuration = new CorsConfiguration();
		configuration.setAllowedOrigins(settings.allowedOrigins());
		configuration.setAllowedMethods(settings.allowedMethods());
		configuration.setAllowedHeaders(settings.allowedHeaders());
		configuration.setExposedHeaders(settings.exposedHeaders());
		configuration.setMaxAge(settings.maxAge());
		configuration.setAllowCredentials(false);
		var source = new UrlBasedCorsConfigurationSource();
		source.registerCorsConfiguration("/**", configuration);
		var filter = new CorsFilter(source);
		filter.setCorsProcessor(new Processor(problems));
		return filter;
	}

	private static final class Processor extends DefaultCorsProcessor {

		private final ProblemWriter problems;

		Processor(ProblemWriter problems) {
			this.problems = problems;
		}

		@Override
		public boolean processRequest(@Nullable CorsConfiguration configuration, HttpServletRequest request,
				HttpServletResponse response) throws IOException {
			if (configuration != null && !CorsUtils.isPreFlightRequest(request)
					&& configuration.checkOrigin(request.getHeader(HttpHeaders.ORIGIN)) == null) {
				response.addHeader(HttpHeaders.VARY, HttpHeaders.ORIGIN);
				return true;
			}
			return super.processRequest(configuration, request, response);
		}

		/**
		 * Every header asked for, or a refusal that says so (not a silent
		 * part-allowance).
		 */
		@Override
		protected @Nullable List<String> checkHeaders(CorsConfiguration configuration, List<String> requested) {
			var allowed = super.checkHeaders(configuration, requested);
			return allowed != null && allowed.size() == requested.size() ? allowed : null;
		}

		@Override
		protected void rejectRequest(ServerHttpResponse response) throws IOException {
			var servlet = ((ServletServerHttpResponse) response).getServletResponse();
			servlet.addHeader(HttpHeaders.VARY, HttpHeaders.ORIGIN);
			problems.write(servlet, Problems.of(ErrorCode.FORBIDDEN,
					"Cross-origin requests from this origin, or with this method or these headers, are not allowed."));
		}

	}

}
