package dev.airlock.security;

import java.util.Optional;

/**
 * Turns a presented bearer secret into a {@link Caller}, or nothing. Implementations
 * compare in constant time.
 */
public interface ApiKeyAuthenticator {

	Optional<Caller> authenticate(String secret);

}
