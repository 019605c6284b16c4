package dev.airlock.egress;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Destinations of our own for egress tests: busybox {@code httpd} containers on the
 * engine's default bridge, each answering {@code GET /} with its own page. Started with
 * the {@code docker} command line (they must exist before Airlock starts, to be named in
 * its resolver setting), labelled {@code airlock.test=egress}, removed when the JVM ends.
 * Nothing here sends traffic off this machine.
 */
public final class TestServers {

	/** The port every test server listens on. */
	public static final int PORT = 8080;

	private static final List<String> started = new ArrayList<>();

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(TestServers::removeAll));
	}

	private TestServers() {
	}

	/** Starts a server whose {@code GET /} answers {@code page}; answers its address. */
	public static String start(String page) {
		return run("mkdir -p /www && echo " + page + " > /www/index.html && exec httpd -f -p " + PORT + " -h /www");
	}

	/** Starts a server running this shell script; answers its address. */
	public static synchronized String run(String script) {
		var id = docker("run", "-d", "--label", "airlock.test=egress", "busybox:1.35", "sh", "-c", script);
		started.add(id);
		return address(id);
	}

	/** A container's address on the default bridge. */
	public static String address(String id) {
		return docker("inspect", "-f", "{{.NetworkSettings.IPAddress}}", id);
	}

	/** The host's address on the engine's default bridge (where Airlock listens too). */
	public static String bridgeGateway() {
		return docker("network", "inspect", "-f", "{{(index .IPAM.Config 0).Gateway}}", "bridge");
	}

	/** Removes this container when the JVM ends (with the servers). */
	public static synchronized void removeLater(String id) {
		started.add(id);
	}

	static synchronized void removeAll() {
		if (!started.isEmpty()) {
			var command = new ArrayList<>(List.of("rm", "-f"));
			command.addAll(started);
			docker(command.toArray(String[]::new));
			started.clear();
		}
	}

	/**
	 * Runs the {@code docker} command line; answers its output, or throws when it fails.
	 */
	public static String docker(String... arguments) {
		var command = new ArrayList<>(List.of("docker"));
		command.addAll(List.of(arguments));
		try {
			var process = new ProcessBuilder(command).redirectErrorStream(true).start();
			var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException(command + " failed: " + output);
			}
			return output;
		}
		catch (IOException e) {
			throw new IllegalStateException(command + " failed", e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(command + " was interrupted", e);
		}
	}

}
