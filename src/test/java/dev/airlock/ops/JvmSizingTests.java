package dev.airlock.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static dev.airlock.ops.HelmChartTests.at;
import static dev.airlock.ops.HelmChartTests.find;
import static dev.airlock.ops.HelmChartTests.render;
import static dev.airlock.ops.HelmChartTests.values;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service's JVM sizes itself from its container's memory limit, in the image and in
 * the chart, with options a JVM really accepts.
 */
class JvmSizingTests {

	private static final Pattern IMAGE_OPTIONS = Pattern.compile("ENV JAVA_TOOL_OPTIONS=\"([^\"]+)\"");

	@Test
	void theImageCapsTheHeapAtHalfTheContainersLimitWithOptionsThisJvmAccepts() throws Exception {
		var dockerfile = Files.readString(Path.of("Dockerfile"));
		var matcher = IMAGE_OPTIONS.matcher(dockerfile);
		assertThat(matcher.find()).as("JAVA_TOOL_OPTIONS in the Dockerfile").isTrue();
		var options = matcher.group(1);
		assertThat(options).contains("-XX:MaxRAMPercentage=50");

		var run = java(options.split(" "), "-XX:+PrintFlagsFinal", "-version");
		assertThat(run.exitCode).as(run.output).isZero();
		assertThat(run.output).containsPattern("MaxRAMPercentage\\s+= 50");
		assertThat(run.output).containsPattern("UseG1GC\\s+= true");
	}

	@Test
	void theChartPassesTheSameSizingAndLetsAnOperatorChangeIt() {
		assertThat(javaToolOptions(Map.of())).startsWith("-XX:MaxRAMPercentage=50 ").contains("-XX:+UseG1GC");
		assertThat(javaToolOptions(values("jvm.maxRamPercentage", "40", "jvm.options", "-Xss512k")))
			.isEqualTo("-XX:MaxRAMPercentage=40 -Xss512k");
	}

	@SuppressWarnings("unchecked")
	private static String javaToolOptions(Map<String, Object> values) {
		var container = at(find(render(values), "Deployment"), "spec", "template", "spec", "containers", 0);
		List<Map<String, Object>> env = at(container, "env");
		return env.stream()
			.filter(e -> "JAVA_TOOL_OPTIONS".equals(e.get("name")))
			.map(e -> String.valueOf(e.get("value")))
			.findFirst()
			.orElseThrow();
	}

	private static Run java(String[] options, String... more) throws IOException, InterruptedException {
		var command = new ArrayList<String>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(List.of(options));
		command.addAll(List.of(more));
		var process = new ProcessBuilder(command).redirectErrorStream(true).start();
		var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		return new Run(process.waitFor(), output);
	}

	private record Run(int exitCode, String output) {
	}

}
