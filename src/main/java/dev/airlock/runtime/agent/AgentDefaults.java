package dev.airlock.runtime.agent;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Sets the agent's defaults ({@code DEFAULTS}, version 4): environment entries under
 * every later exec's own, and the working folder of an exec that names none. They are the
 * sandbox's: the agent keeps them across sessions, until the next call replaces them. The
 * values are secrets: they go to the agent and nowhere else (no log line, no message).
 */
public final class AgentDefaults {

	/**
	 * A healthy agent answers in a millisecond; a create waits no longer than this on one
	 * that does not.
	 */
	private static final Duration PATIENCE = Duration.ofSeconds(5);

	private AgentDefaults() {
	}

	/**
	 * Sets the defaults, replacing any before.
	 * @param workdir the working folder of an exec that names none; {@code null} or
	 * empty: the agent's own
	 * @throws AgentFailed when the agent refuses them (a working folder that is missing,
	 * not a folder or refused; a bad entry), speaks a version before 4, or the session
	 * ends
	 */
	public static void set(AgentSession session, Map<String, String> env, @Nullable String workdir) {
		if (session.version() < 4) {
			throw new AgentFailed("the sandbox's agent speaks protocol version " + session.version()
					+ ", which has no DEFAULTS (it was started before Airlock knew them)");
		}
		var entries = new ArrayList<String>(env.size());
		env.forEach((key, value) -> entries.add(key + "=" + value));
		var request = new Payload.Writer().list(entries).str(workdir == null ? "" : workdir).request();
		try (var call = session.call()) {
			call.request(Protocol.DEFAULTS, request);
			var answer = call.take(PATIENCE);
			call.finished();
			if (answer.type() == Protocol.ERROR) {
				var error = AgentError.of(answer);
				throw new AgentFailed(
						"the sandbox's agent refused the defaults (" + error.code() + "): " + error.message());
			}
			if (answer.type() != Protocol.OK) {
				throw AgentExec.violation(session, "an unexpected " + answer + " answering DEFAULTS");
			}
			var reader = answer.reader();
			reader.u64();
			reader.done();
		}
		catch (IOException e) {
			throw new AgentFailed("the defaults could not be sent to the sandbox's agent: " + e.getMessage());
		}
		catch (AgentViolation e) {
			throw AgentExec.violation(session, e.getMessage());
		}
	}

}
