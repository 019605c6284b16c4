package dev.airlock.runtime.agent;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.airlock.runtime.ExecSpec;
import dev.airlock.runtime.RuntimeError;

/**
 * Asks the agent which program an exec would run: {@code argv[0]} looked up on the exec's
 * {@code PATH} (or made absolute against its workdir) exactly as the agent's exec does,
 * without running anything. An agent from before {@code RESOLVE} (a sandbox started
 * before an upgrade keeps its agent) is not asked: it would take the request for garbage
 * and end the session, and every call on it.
 */
public final class AgentResolve {

	private static final Duration PATIENCE = Duration.ofSeconds(30);

	private AgentResolve() {
	}

	/**
	 * The absolute path of the program and, when it differs, that path with its symlinks
	 * resolved; empty when none would be found or the agent cannot say.
	 */
	public static List<String> program(AgentSession session, ExecSpec spec) {
		if (session.version() < 2) {
			return List.of();
		}
		var env = new ArrayList<String>();
		spec.env().forEach((key, value) -> env.add(key + "=" + value));
		var request = new Payload.Writer().str(spec.command().getFirst())
			.list(env)
			.str(spec.workdir() == null ? "" : spec.workdir())
			.request();
		try (var call = session.call()) {
			call.request(Protocol.RESOLVE, request);
			var answer = call.take(PATIENCE);
			call.finished();
			if (answer.type() == Protocol.ERROR) {
				throw AgentExec.refusal(answer, "look the program up");
			}
			if (answer.type() != Protocol.RESOLVED) {
				throw AgentExec.violation(session, "an unexpected " + answer + " answering a resolve");
			}
			var reader = answer.reader();
			var path = reader.str();
			var canonical = reader.str();
			reader.done();
			if (path.isEmpty()) {
				return List.of();
			}
			return canonical.isEmpty() || canonical.equals(path) ? List.of(path) : List.of(path, canonical);
		}
		catch (IOException | AgentFailed e) {
			throw new RuntimeError("Looking a program up through the sandbox's agent failed: " + e.getMessage(), e);
		}
		catch (AgentViolation e) {
			throw AgentExec.violation(session, e.getMessage());
		}
	}

}
