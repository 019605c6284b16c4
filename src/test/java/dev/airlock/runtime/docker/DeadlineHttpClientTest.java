package dev.airlock.runtime.docker;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.github.dockerjava.transport.DockerHttpClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class DeadlineHttpClientTest {

	/** A transport that answers once {@code answer} is counted down. */
	static final class HeldTransport implements DockerHttpClient {

		final CountDownLatch answer = new CountDownLatch(1);

		final AtomicBoolean answered = new AtomicBoolean();

		final AtomicBoolean closed = new AtomicBoolean();

		@Override
		public Response execute(Request request) {
			try {
				answer.await();
			}
			catch (InterruptedException e) {
				throw new IllegalStateException(e);
			}
			answered.set(true);
			return new Response() {
				@Override
				public int getStatusCode() {
					return 200;
				}

				@Override
				public Map<String, List<String>> getHeaders() {
					return Map.of();
				}

				@Override
				public InputStream getBody() {
					return new ByteArrayInputStream(new byte[0]);
				}

				@Override
				public void close() {
					closed.set(true);
				}
			};
		}

		@Override
		public void close() {
		}

	}

	static DockerHttpClient.Request get(String path) {
		return DockerHttpClient.Request.builder().method(DockerHttpClient.Request.Method.GET).path(path).build();
	}

	@Test
	void anAnswerInTimeIsHandedOn() {
		var transport = new HeldTransport();
		transport.answer.countDown();

		try (var response = new DeadlineHttpClient(transport, Duration.ofSeconds(30), Duration.ofMinutes(5))
			.execute(get("/version"))) {
			assertThat(response.getStatusCode()).isEqualTo(200);
		}
		assertThat(transport.closed).isTrue();
	}

	@Test
	void noAnswerInTimeIsATimeoutAndALateAnswerIsClosedUnread() {
		var transport = new HeldTransport();
		var client = new DeadlineHttpClient(transport, Duration.ofMillis(200), Duration.ofMinutes(5));

		assertThatThrownBy(() -> client.execute(get("/containers/json?all=1"))).isInstanceOf(UncheckedIOException.class)
			.hasRootCauseInstanceOf(SocketTimeoutException.class)
			.hasMessageContaining("/containers/json")
			.hasMessageNotContaining("all=1");
		transport.answer.countDown();

		await().atMost(Duration.ofSeconds(10)).untilTrue(transport.closed);
	}

	@Test
	void anInterruptedCallerLeavesNoAnswerOpen() throws Exception {
		var transport = new HeldTransport();
		var client = new DeadlineHttpClient(transport, Duration.ofMinutes(5), Duration.ofMinutes(5));
		var failed = new CountDownLatch(1);
		var caller = Thread.ofVirtual().start(() -> {
			try {
				client.execute(get("/exec/1/json"));
			}
			catch (UncheckedIOException e) {
				failed.countDown();
			}
		});
		await().atMost(Duration.ofSeconds(10)).until(() -> caller.getState() == Thread.State.TIMED_WAITING);

		caller.interrupt();
		assertThat(failed.await(10, TimeUnit.SECONDS)).isTrue();
		transport.answer.countDown();

		await().atMost(Duration.ofSeconds(10)).untilTrue(transport.closed);
	}

	@Test
	void aPullWaitsForThePullTimeoutNotTheResponseTimeout() throws Exception {
		var transport = new HeldTransport();
		var client = new DeadlineHttpClient(transport, Duration.ofMillis(100), Duration.ofMinutes(5));
		var pull = Thread.ofVirtual()
			.start(() -> client
				.execute(DockerHttpClient.Request.builder()
					.method(DockerHttpClient.Request.Method.POST)
					.path("/images/create?fromImage=busybox&tag=1.35")
					.build())
				.close());

		// well past the response timeout, the pull still waits
		assertThat(pull.join(Duration.ofSeconds(1))).isFalse();
		assertThat(transport.answered).isFalse();
		transport.answer.countDown();

		assertThat(pull.join(Duration.ofSeconds(10))).isTrue();
		assertThat(transport.closed).isTrue();
	}

}
