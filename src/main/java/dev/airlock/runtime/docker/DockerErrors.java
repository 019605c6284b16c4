package dev.airlock.runtime.docker;

import java.io.IOException;
import java.util.function.Supplier;

import com.github.dockerjava.api.exception.DockerException;
import dev.airlock.core.AirlockException;
import dev.airlock.core.HostPaths;
import dev.airlock.runtime.RuntimeError;
import dev.airlock.runtime.RuntimeUnavailable;
import io.micrometer.core.instrument.Metrics;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Translates docker-java's failures at the edge: connection trouble is "unavailable",
 * anything else an engine error.
 */
final class DockerErrors {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** Enough for any message of the engine's; a page of HTML from a proxy is cut. */
	private static final int MAX_MESSAGE = 1000;

	private DockerErrors() {
	}

	static <T> T call(String operation, Supplier<T> call) {
		try {
			return call.get();
		}
		catch (RuntimeException e) {
			throw translate(operation, e);
		}
	}

	static void run(String operation, Runnable call) {
		call(operation, () -> {
			call.run();
			return null;
		});
	}

	static RuntimeException translate(String operation, RuntimeException e) {
		if (e instanceof AirlockException) {
			return e;
		}
		// the operation names are this package's own fixed phrases, never input
		Metrics.counter("airlock.runtime.errors", "operation", operation).increment();
		if (isUnreachable(e)) {
			return new RuntimeUnavailable("The Docker engine is unreachable (" + operation + ").", e);
		}
		if (e instanceof DockerException docker) {
			return new RuntimeError("Docker failed to " + operation + " (HTTP " + docker.getHttpStatus() + "): "
					+ engineMessage(docker), e);
		}
		return new RuntimeError("Docker failed to " + operation + ": " + e.getMessage(), e);
	}

	static boolean isUnreachable(Throwable e) {
		if (e instanceof DockerException) {
			return false;
		}
		for (var t = e; t != null; t = t.getCause()) {
			if (t instanceof IOException) {
				return true;
			}
		}
		return false;
	}

	/**
	 * docker-java puts the engine's JSON body in the message ({@code Status 404:
	 * {"message":"..."}}); keep just the text.
	 */
	static String engineMessage(DockerException e) {
		var message = e.getMessage() == null ? "" : e.getMessage();
		return messageOf(message.replaceFirst("^Status \\d+: ", ""));
	}

	/**
	 * The engine's error text: the message of a {@code {"message": "..."}} body, or the
	 * body itself, bounded, when it is something else; its host paths and ids hidden,
	 * since it ends up in problems, end details and audit events.
	 */
	static String messageOf(String body) {
		var text = body.strip();
		if (text.startsWith("{")) {
			try {
				var message = JSON.readTree(text).path("message");
				if (message.isString()) {
					text = message.asString().strip();
				}
			}
			catch (JacksonException notJson) {
				// the raw text it is
			}
		}
		text = HostPaths.hide(text);
		return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + "…";
	}

}
