package dev.airlock.exec;

import java.util.List;

/** What happens when commands run; never output content, stdin or env values. */
public final class ExecEvents {

	private ExecEvents() {
	}

	/** A command was started. */
	public record ExecStarted(String sandboxId, String tenant, List<String> command, String actor) {
	}

	/**
	 * A command was refused before it ran: it matches a denied pattern;
	 * {@code killSandbox} asks for the kill.
	 */
	public record ExecDenied(String sandboxId, String tenant, List<String> command, String pattern, boolean killSandbox,
			String actor) {
	}

	/** A command ended (or was cut off by its timeout or a departed client). */
	public record ExecFinished(String sandboxId, String tenant, List<String> command, long exitCode, long durationMs,
			boolean timedOut, boolean cancelled, long stdoutBytes, long stderrBytes, String actor) {
	}

}
