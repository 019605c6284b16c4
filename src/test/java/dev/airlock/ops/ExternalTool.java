package dev.airlock.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A command-line checker (promtool, redocly) the ops tests run. {@code .ci/run} installs
 * each and names it in an environment variable, so CI always runs these checks; on a
 * laptop without the tool they are skipped, loudly.
 */
record ExternalTool(Path executable) {

	static ExternalTool require(String name, String environmentVariable) {
		var configured = Optional.ofNullable(System.getenv(environmentVariable))
			.map(Path::of)
			.filter(Files::isExecutable);
		var onPath = Optional.ofNullable(System.getenv("PATH"))
			.stream()
			.flatMap(path -> List.of(path.split(":")).stream())
			.map(dir -> Path.of(dir, name))
			.filter(Files::isExecutable)
			.findFirst();
		var found = configured.or(() -> onPath);
		Assumptions.assumeTrue(found.isPresent(),
				name + " is not installed (set " + environmentVariable + "); .ci/run installs it");
		return new ExternalTool(found.get());
	}

	/** Runs it and answers the exit code and what it printed. */
	Result run(String stdin, String... args) throws IOException, InterruptedException {
		return runWith(System.getenv(), stdin, args);
	}

	/** Runs it with exactly this environment. */
	Result runWith(Map<String, String> environment, String stdin, String... args)
			throws IOException, InterruptedException {
		var command = new ArrayList<String>();
		command.add(executable.toString());
		command.addAll(List.of(args));
		var builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().clear();
		builder.environment().putAll(environment);
		var process = builder.start();
		try (var in = process.getOutputStream()) {
			if (stdin != null) {
				in.write(stdin.getBytes(StandardCharsets.UTF_8));
			}
		}
		var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(120, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IllegalStateException(executable + " did not finish");
		}
		return new Result(process.exitValue(), output);
	}

	record Result(int exitCode, String output) {
	}
}
