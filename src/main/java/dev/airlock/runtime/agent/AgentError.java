package dev.airlock.runtime.agent;

/**
 * An {@code ERROR} frame's payload: the agent's code and its words.
 *
 * @param code what went wrong
 * @param message the agent's own description (untrusted text from inside the sandbox)
 */
record AgentError(Protocol.Failure code, String message) {

	static AgentError of(Frame error) {
		var reader = error.reader();
		var code = Protocol.Failure.of(reader.u16());
		return new AgentError(code, reader.str());
	}

}
