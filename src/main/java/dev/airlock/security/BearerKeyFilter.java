package dev.airlock.security;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import dev.airlock.core.ErrorCode;
import dev.airlock.core.ProblemWriter;
import dev.airlock.core.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads {@code Authorization: Bearer <key>}. A key that no authenticator accepts is a 401
 * at once; a request without the header goes on unauthenticated, and the authorization
 * rules decide.
 */
class BearerKeyFilter extends OncePerRequestFilter {

	private static final String PREFIX = "Bearer ";

	private static final int MAX_KEY_LENGTH = 512;

	private final List<ApiKeyAuthenticator> authenticators;

	private final ProblemWriter problems;

	private final RateLimits rateLimits;

	private final AuthFailures failures;

	BearerKeyFilter(List<ApiKeyAuthenticator> authenticators, ProblemWriter problems, RateLimits rateLimits,
			AuthFailures failures) {
		this.authenticators = authenticators;
		this.problems = problems;
		this.rateLimits = rateLimits;
		this.failures = failures;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		var header = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (header == null) {
			chain.doFilter(request, response);
			return;
		}
		var caller = header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
				? authenticate(header.substring(PREFIX.length()).trim()) : Optional.<Caller>empty();
		if (caller.isEmpty()) {
			failures.record(request.getRemoteAddr(), request.getRequestURI());
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
			problems.write(response, Problems.of(ErrorCode.UNAUTHENTICATED, "The API key is not valid."));
			return;
		}
		var wait = rateLimits.tryAcquire(caller.get().keyId());
		if (wait.isPresent()) {
			problems.write(response, new RateLimited(wait.getAsLong()));
			return;
		}
		var authentication = UsernamePasswordAuthenticationToken.authenticated(caller.get(), null,
				List.of(new SimpleGrantedAuthority(caller.get().role().authority())));
		var context = SecurityContextHolder.createEmptyContext();
		context.setAuthentication(authentication);
		SecurityContextHolder.setContext(context);
		try {
			chain.doFilter(request, response);
		}
		finally {
			SecurityContextHolder.clearContext();
		}
	}

	private Optional<Caller> authenticate(String secret) {
		if (secret.isEmpty() || secret.length() > MAX_KEY_LENGTH) {
			return Optional.empty();
		}
		for (var authenticator : authenticators) {
			var caller = authenticator.authenticate(secret);
			if (caller.isPresent()) {
				return caller;
			}
		}
		return Optional.empty();
	}

}
