package dev.airlock.runtime.agent;

/**
 * The agent broke the protocol: a bad frame, data beyond its credit, a call that does not
 * exist. The session cannot be trusted after it.
 */
public class AgentViolation extends RuntimeException {

	public AgentViolation(String message) {
		super(message);
	}

}
