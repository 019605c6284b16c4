package dev.airlock.runtime.docker;

import java.io.IOException;
import java.util.function.Supplier;

import com.github.dockerjava.api.exception.DockerException;
import dev.airlock.core.AirlockException;
import dev.airlock.runtime.RuntimeError;
import dev.airlock.runtime.RuntimeUnavailable;
import io.micrometer.core.instrument.Metrics;

/**
 * Translates docker-java's failures at the edge: connection trouble is "unavailable",
 * anything else an engine error.
 */
final class DockerErrors {

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
	 * docker-java puts the engine's JSON body in the message: {"message":"..."}; keep
	 * just the text.
	 */
	static String engineMessage(DockerException e) {
		var message = e.getMessage() == null ? "" : e.getMessage();
		var start = message.indexOf("{\"message\":\"");
		if (start >= 0) {
			var text = message.substring(start + 12);
			var end = text.lastIndexOf("\"}");
			return (end >= 0 ? text.substring(0, end) : text).replace("\\\"", "\"").trim();
		}
		return message.replaceFirst("^Status \\d+: ", "").trim();
	}

}
