package dev.airlock.runtime.agent;

/** A call got no answer: the session ended, or the agent took too long. */
public final class AgentFailed extends RuntimeException {

	AgentFailed(String message) {
		super(message);
	}

}
