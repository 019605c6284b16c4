package dev.airlock.security;

import org.jspecify.annotations.Nullable;

/** What happens to keys and logins; never a secret. */
public final class SecurityEvents {

	private SecurityEvents() {
	}

	public record ApiKeyCreated(String keyId, String tenant, Role role, String name, String actor) {
	}

	public record ApiKeyRevoked(String keyId, String tenant, String actor) {
	}

	/**
	 * Bad keys from one address. Throttled: one event per address per window, counting
	 * the failures it stands for.
	 *
	 * @param remoteAddress where the requests came from
	 * @param failures how many failed since the previous event for this address
	 * @param path the first request's path
	 */
	public record AuthFailed(String remoteAddress, long failures, @Nullable String path) {
	}

}
