package dev.airlock.runtime.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.github.dockerjava.transport.DockerHttpClient;

/**
 * docker-java's transport with a deadline on the engine's answer. The zerodep transport's
 * response timeout does not reach the reads of a Unix socket, so a daemon that accepts
 * and never answers would hold a call forever; here the caller gives up after the
 * deadline (the engine is then "unavailable"), and an answer that comes later is closed
 * unread. The deadline is for the status line and headers: a streamed body (events, a
 * pull) may take as long as it takes.
 */
final class DeadlineHttpClient implements DockerHttpClient {

	private final DockerHttpClient transport;

	private final Duration deadline;

	private final Duration pullDeadline;

	/**
	 * @param deadline the longest wait for an answer
	 * @param pullDeadline the same for a pull, whose answer starts only once the registry
	 * has resolved the image
	 */
	DeadlineHttpClient(DockerHttpClient transport, Duration deadline, Duration pullDeadline) {
		this.transport = transport;
		this.deadline = deadline;
		this.pullDeadline = pullDeadline;
	}

	@Override
	public Response execute(Request request) {
		var path = withoutQuery(request.path());
		var deadline = path.endsWith("/images/create") ? pullDeadline : this.deadline;
		var answer = new CompletableFuture<Response>();
		Thread.ofVirtual().name("docker-call").start(() -> {
			try {
				var response = transport.execute(request);
				if (!answer.complete(response)) {
					response.close(); // the caller gave up: free the connection
				}
			}
			catch (Throwable e) {
				answer.completeExceptionally(e);
			}
		});
		try {
			return answer.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException e) {
			var late = new UncheckedIOException(new SocketTimeoutException(
					"The Docker engine did not answer " + request.method() + " " + path + " within " + deadline));
			if (answer.completeExceptionally(late)) {
				throw late;
			}
			return answer.join(); // it answered just now
		}
		catch (ExecutionException e) {
			if (e.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (e.getCause() instanceof Error error) {
				throw error;
			}
			throw new UncheckedIOException(new IOException(e.getCause()));
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			var gaveUp = new UncheckedIOException(
					new IOException("Interrupted while waiting for the Docker engine", e));
			if (answer.completeExceptionally(gaveUp)) {
				throw gaveUp; // an answer that comes later is closed unread
			}
			return answer.join();
		}
	}

	private static String withoutQuery(String path) {
		var query = path.indexOf('?');
		return query < 0 ? path : path.substring(0, query);
	}

	@Override
	public void close() throws IOException {
		transport.close();
	}

}
