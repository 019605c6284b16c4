package dev.airlock;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.github.dockerjava.api.DockerClient;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.awaitility.Awaitility.await;

/**
 * The machine's dockerd (the one every integration test shares), stopped, started and
 * reconfigured by the tests of engine restarts. Whatever such a test does, it ends with
 * {@link #restore}: dockerd running with live-restore on, as every other test expects.
 * Like every integration test these run under the integration lock, so nothing else uses
 * the engine meanwhile.
 */
public final class Dockerd {

	private static final Path CONFIG = Path.of("/etc/docker/daemon.json");

	private static final Path PID_FILE = Path.of("/var/run/docker.pid");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final File LOG = new File("/var/log/airlock-test-dockerd.log");

	private final DockerClient docker;

	/** How the running dockerd was started: it is started again the same way. */
	private final List<String> argv;

	public Dockerd(DockerClient docker) throws IOException {
		this.docker = docker;
		var cmdline = Files.readString(Path.of("/proc/" + pid() + "/cmdline"), StandardCharsets.UTF_8);
		this.argv = List.copyOf(Arrays.asList(cmdline.split("\0")));
	}

	/** Stops dockerd as an operator would (SIGTERM, and waits), then starts it again. */
	public void restart() throws IOException {
		stop();
		start();
	}

	/** SIGTERM, then waits until the process is gone. */
	public void stop() throws IOException {
		var dockerd = ProcessHandle.of(pid()).orElseThrow();
		dockerd.destroy();
		dockerd.onExit().join();
	}

	/**
	 * Starts dockerd (in a session of its own, so that nothing that ends this test run
	 * takes it along) and waits until it answers.
	 */
	public void start() throws IOException {
		// left behind by a dockerd that is gone; a start would refuse it if the pid was
		// reused
		Files.deleteIfExists(PID_FILE);
		var command = new ArrayList<>(List.of("setsid"));
		command.addAll(argv);
		new ProcessBuilder(command).redirectInput(new File("/dev/null"))
			.redirectOutput(ProcessBuilder.Redirect.appendTo(LOG))
			.redirectErrorStream(true)
			.start();
		await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
			docker.pingCmd().exec();
			return true;
		});
	}

	/**
	 * Writes live-restore into daemon.json and makes the running dockerd take it
	 * (SIGHUP), waiting until it says so.
	 */
	public void liveRestore(boolean on) throws IOException {
		writeLiveRestore(on);
		new ProcessBuilder("kill", "-HUP", String.valueOf(pid())).inheritIO().start().onExit().join();
		await().atMost(Duration.ofSeconds(30)).until(() -> liveRestore() == on);
	}

	/** What the running dockerd says of its live-restore. */
	public boolean liveRestore() {
		return Boolean.TRUE.equals(docker.infoCmd().exec().getRawValues().get("LiveRestoreEnabled"));
	}

	/** dockerd running with live-restore on, whatever state a test left it in. */
	public void restore() throws IOException {
		writeLiveRestore(true);
		if (!answers()) {
			start();
		}
		liveRestore(true);
	}

	/** Sets the key in daemon.json, keeping whatever else it says. */
	private static void writeLiveRestore(boolean on) throws IOException {
		Files.createDirectories(CONFIG.getParent());
		var config = Files.exists(CONFIG) && !Files.readString(CONFIG).isBlank()
				? (ObjectNode) JSON.readTree(CONFIG.toFile()) : JSON.createObjectNode();
		config.put("live-restore", on);
		Files.writeString(CONFIG, JSON.writeValueAsString(config) + "\n");
	}

	private boolean answers() {
		try {
			docker.pingCmd().exec();
			return true;
		}
		catch (RuntimeException e) {
			return false;
		}
	}

	private static long pid() throws IOException {
		return Long.parseLong(Files.readString(PID_FILE).strip());
	}

}
