package dev.airlock.runtime.docker;

import java.io.ByteArrayInputStream;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;

import com.github.dockerjava.api.DockerClient;
import dev.airlock.core.Deployment;
import dev.airlock.core.ErrorCode;
import dev.airlock.runtime.RuntimeUnavailable;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Airlock's Docker adapter pointed at an engine that accepts connections and never
 * answers (a hung daemon): every call gives up as "runtime unavailable" once the response
 * timeout passes, instead of holding its caller forever.
 */
class SilentEngineTests {

	/** A liveness bound, far above the 1 s response timeout: not a speed assertion. */
	private static final Deployment DEPLOYMENT = new Deployment("silent-engine-tests");

	private static final Duration GIVES_UP_WITHIN = Duration.ofSeconds(30);

	@TempDir
	Path folder;

	FakeEngine engine;

	DockerSettings settings;

	DockerClient docker;

	DockerMonitoring monitoring;

	DockerFiles files;

	AgentChannels channels;

	@BeforeEach
	void pointAirlockAtASilentEngine() throws Exception {
		engine = new FakeEngine(folder, FakeEngine.SILENT);
		settings = engine.settings(Duration.ofSeconds(1));
		docker = new DockerRuntimeConfiguration().dockerClient(settings);
		channels = new AgentChannels(settings);
		monitoring = new DockerMonitoring(docker, settings, new CgroupCounters(settings), channels);
		files = new DockerFiles(channels);
	}

	@AfterEach
	void stopTheEngine() throws Exception {
		docker.close();
		engine.close();
	}

	@Test
	void aWatchdogStatsSampleGivesUp() {
		assertGivesUp(() -> monitoring.stats("sb1"));
	}

	@Test
	void aFileWriteGivesUpWaitingForTheAnswer() {
		var content = "small enough for the socket's buffers".getBytes();

		assertGivesUp(() -> files.writeFile("sb1", "/workspace", "/workspace/a.txt", new ByteArrayInputStream(content),
				content.length));
	}

	@Test
	void aFileWriteGivesUpWhenTheEngineStopsReading() {
		var content = new byte[32 << 20]; // far more than the socket's buffers hold

		assertGivesUp(() -> files.writeFile("sb1", "/workspace", "/workspace/big.bin",
				new ByteArrayInputStream(content), content.length));
	}

	@Test
	void aFileReadGivesUp() {
		assertGivesUp(() -> files.readFile("sb1", "/workspace/a.txt"));
	}

	@Test
	void readingLogsGivesUp() {
		assertGivesUp(() -> monitoring.logs("sb1", 100, 64 * 1024));
	}

	@Test
	void dockerJavasOwnCallsGiveUp() {
		var lifecycle = new DockerLifecycle(docker, new DockerImages(docker, settings),
				new HardenedContainers(docker, settings, DEPLOYMENT), new AgentVolume(docker, DEPLOYMENT),
				new CgroupCounters(settings), channels, new DeploymentInventory(docker, DEPLOYMENT));

		assertGivesUp(() -> lifecycle.inspect("sb1"));
		assertGivesUp(lifecycle::managedContainers);
		assertGivesUp(() -> lifecycle.remove("sb1"));
	}

	@Test
	void aPingGivesUp() {
		var lifecycle = new DockerLifecycle(docker, new DockerImages(docker, settings),
				new HardenedContainers(docker, settings, DEPLOYMENT), new AgentVolume(docker, DEPLOYMENT),
				new CgroupCounters(settings), channels, new DeploymentInventory(docker, DEPLOYMENT));

		assertTimeoutPreemptively(GIVES_UP_WITHIN,
				() -> assertThatThrownBy(lifecycle::ping).isInstanceOf(RuntimeUnavailable.class)
					.hasRootCauseInstanceOf(SocketTimeoutException.class));
	}

	private static void assertGivesUp(ThrowingCallable call) {
		assertTimeoutPreemptively(GIVES_UP_WITHIN,
				() -> assertThatThrownBy(call)
					.isInstanceOfSatisfying(RuntimeUnavailable.class,
							e -> assertThat(e.code()).isEqualTo(ErrorCode.RUNTIME_UNAVAILABLE))
					.hasRootCauseInstanceOf(SocketTimeoutException.class));
	}

}
