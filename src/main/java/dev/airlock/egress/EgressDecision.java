package dev.airlock.egress;

import java.time.Instant;

/**
 * One line of {@code GET /v1/sandboxes/{id}/egress}: how many connections of the sandbox
 * to {@code destination:port} the gateway allowed or denied in the minute starting
 * {@code at}.
 */
public record EgressDecision(Instant at, String destination, int port, Decision decision, long count) {

	/** What the gateway did. */
	public enum Decision {

		ALLOWED, DENIED

	}

}
