package dev.airlock.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.airlock.IntegrationTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml as Compose v1 ({@code docker-compose} 1.29, Debian's) reads it; v2
 * reads all that v1 does (the file keeps to what both accept: no top-level
 * {@code name:}).
 */
class ComposeFileTests {

	static final String FILE = Path.of("docker-compose.yml").toAbsolutePath().toString();

	static final String ADMIN_KEY = "admin-key-0123456789";

	@Test
	void theServiceNeedsTheAdminKeyButNotTheMetricsKey() throws Exception {
		var compose = compose();

		var config = compose.runWith(environment(Map.of("AIRLOCK_ADMIN_API_KEY", ADMIN_KEY)), null, "-f", FILE,
				"config");
		var withoutAdminKey = compose.runWith(environment(Map.of()), null, "-f", FILE, "config");

		assertThat(config.exitCode()).as(config.output()).isZero();
		assertThat(services(config.output())).containsKeys("airlock", "postgres");
		assertThat(withoutAdminKey.exitCode()).isNotZero();
		assertThat(withoutAdminKey.output()).contains("set AIRLOCK_ADMIN_API_KEY");
	}

	@Test
	void theObservabilityProfileAsksForTheMetricsKeyWhenPrometheusStarts() throws Exception {
		var config = compose().runWith(environment(Map.of("AIRLOCK_ADMIN_API_KEY", ADMIN_KEY)), null, "-f", FILE,
				"--profile", "observability", "config");
		assertThat(config.exitCode()).as(config.output()).isZero();
		@SuppressWarnings("unchecked")
		var entrypoint = (List<String>) ((Map<String, Object>) services(config.output()).get("prometheus"))
			.get("entrypoint");
		// what the container runs: Compose turns $$ into $
		var script = entrypoint.get(2).replace("$$", "$");

		var start = new ExternalTool(Path.of("/bin/sh")).runWith(environment(Map.of()), null, "-c", script);

		assertThat(start.exitCode()).isEqualTo(1);
		assertThat(start.output())
			.isEqualTo("set AIRLOCK_METRICS_API_KEY (16+ characters) for the observability profile\n");
	}

	/** The .env beside the file names the project, whatever the folder is called. */
	@Test
	@Tag(IntegrationTest.TAG)
	void theProjectIsNamedAirlock() throws Exception {
		assertThat(Files.readAllLines(Path.of(".env"))).contains("COMPOSE_PROJECT_NAME=airlock");

		// the engine is asked for the project's containers by its label
		var ps = compose().runWith(environment(Map.of("AIRLOCK_ADMIN_API_KEY", ADMIN_KEY)), null, "-f", FILE,
				"--verbose", "ps");

		assertThat(ps.exitCode()).as(ps.output()).isZero();
		assertThat(ps.output()).containsPattern("com\\.docker\\.compose\\.project=airlock['\"]");
	}

	static ExternalTool compose() {
		return ExternalTool.require("docker-compose", "AIRLOCK_DOCKER_COMPOSE");
	}

	/**
	 * This process's environment without anything Compose could read from it, plus these.
	 */
	static Map<String, String> environment(Map<String, String> set) {
		var environment = new HashMap<>(System.getenv());
		environment.keySet()
			.removeIf(name -> name.startsWith("AIRLOCK_") || name.startsWith("COMPOSE_") || name.equals("DOCKER_GID"));
		environment.putAll(set);
		return environment;
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> services(String config) {
		return (Map<String, Object>) new Yaml().<Map<String, Object>>load(config).get("services");
	}

}
