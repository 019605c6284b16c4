package dev.airlock.ops;

import java.util.HashMap;

import dev.airlock.IntegrationTest;
import dev.airlock.IntegrationTestSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code docker build .} sends the engine: the sources, not the local build output
 * or the git history ({@code .dockerignore}).
 */
@Tag(IntegrationTest.TAG)
class DockerBuildContextTests {

	static final String PROBE = "airlock-context-probe:test";

	@Test
	void theBuildContextHoldsTheSourcesOnly() throws Exception {
		var docker = ExternalTool.require("docker", "AIRLOCK_DOCKER");
		var environment = new HashMap<>(System.getenv());
		// the classic builder copies exactly the context it was sent, .dockerignore
		// applied
		environment.put("DOCKER_BUILDKIT", "0");
		var dockerfile = "FROM " + IntegrationTestSupport.IMAGE + "\nCOPY . /context\n"
				+ "RUN echo \"context: $(du -sk /context | cut -f1) KiB\" && ls -A /context\n";
		try {
			var build = docker.runWith(environment, dockerfile, "build", "--no-cache", "--rm", "-t", PROBE, "-f", "-",
					".");

			assertThat(build.exitCode()).as(build.output()).isZero();
			assertThat(build.output()).contains("\nsrc\n", "\nagent\n", "\npom.xml\n")
				.doesNotContain("\ntarget\n")
				.doesNotContain("\n.git\n")
				.doesNotContain("\n.env\n");
			var kib = Long.parseLong(build.output().replaceFirst("(?s).*context: (\\d+) KiB.*", "$1"));
			assertThat(kib).as("KiB in the build context").isLessThan(20 * 1024);
		}
		finally {
			docker.run(null, "rmi", "--force", PROBE);
		}
	}

}
