package dev.airlock.runtime.agent;

/** A call got no answer: the session ended, or the agent took too long. */
final class AgentFailed extends RuntimeException {

	AgentFailed(String message) {
		super(message);
	}

}
