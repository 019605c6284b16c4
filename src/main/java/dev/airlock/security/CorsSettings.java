package dev.airlock.security;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which browser pages, besides Airlock's own, may call the API (CORS). Keys are bearer
 * tokens a page sends itself, so no credentials (cookies) are ever allowed.
 *
 * @param allowedOrigins the origins ({@code https://portal.example.com}, no path, no
 * wildcard) whose pages may call the API; empty (the default): none
 * @param allowedMethods the methods such a page may use
 * @param allowedHeaders the request headers such a page may send
 * @param exposedHeaders the response headers such a page may read (a create's
 * {@code Location} among them)
 * @param maxAge how long a browser may keep a preflight's answer
 */
@ConfigurationProperties("airlock.api.cors")
public record CorsSettings(@DefaultValue List<String> allowedOrigins, @DefaultValue( {
		"GET", "POST", "PUT", "DELETE" }) List<String> allowedMethods,
		@DefaultValue({ "Authorization", "Content-Type", "Accept", "X-Request-Id" }) List<String> allowedHeaders,
		@DefaultValue({ "Location", "Retry-After", "WWW-Authenticate", "X-Request-Id" }) List<String> exposedHeaders,
		@DefaultValue("1h") Duration maxAge){

	public CorsSettings {
		allowedOrigins.forEach(CorsSettings::requireOrigin);
	}

	/** An origin is a scheme, a host and maybe a port: a browser sends nothing else. */
	private static void requireOrigin(String origin) {
		try {
			var uri = new URI(origin);
			var scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
			if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
					&& uri.getRawUserInfo() == null && (uri.getRawPath() == null || uri.getRawPath().isEmpty())
					&& uri.getRawQuery() == null && uri.getRawFragment() == null && !origin.contains("*")) {
				if (uri.getPort() == (scheme.equals("https") ? 443 : 80)) {
					throw new IllegalArgumentException("airlock.api.cors.allowed-origins: '" + origin
							+ "' names its scheme's default port, which a browser never sends: leave it out");
				}
				return;
			}
		}
		catch (URISyntaxException e) {
			// not an origin either
		}
		throw new IllegalArgumentException("airlock.api.cors.allowed-origins: '" + origin
				+ "' is not an origin (scheme://host[:port], no path, no wildcard)");
	}

}
