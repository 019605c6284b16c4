package dev.airlock.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image's build stage runs the Maven build: it must copy in every file of the project
 * the build reads (an input the pom names under {@code ${project.basedir}}, such as the
 * OpenAPI snapshot the client is generated from).
 */
class DockerfileTest {

	private static final Pattern BASEDIR_PATH = Pattern.compile("\\$\\{project\\.basedir}/([^/<\\s]+)");

	private static final Pattern COPY = Pattern.compile("(?m)^COPY\\s+(?!--from)(.+)$");

	@Test
	void theBuildStageCopiesEveryProjectPathThePomReads() throws IOException {
		var pom = Files.readString(Path.of("pom.xml"));
		var read = BASEDIR_PATH.matcher(pom)
			.results()
			.map(m -> m.group(1))
			.collect(Collectors.toCollection(TreeSet::new));
		var buildStage = Files.readString(Path.of("Dockerfile")).split("(?m)^FROM ")[1];

		assertThat(read).as("paths pom.xml reads under ${project.basedir}").isNotEmpty();
		assertThat(copied(buildStage)).as("what the Dockerfile's build stage copies").containsAll(read);
	}

	private static Set<String> copied(String stage) {
		return COPY.matcher(stage).results().flatMap(m -> {
			var words = m.group(1).trim().split("\\s+");
			return Arrays.stream(words, 0, words.length - 1);
		}).map(source -> source.replaceFirst("/$", "")).collect(Collectors.toSet());
	}

}
