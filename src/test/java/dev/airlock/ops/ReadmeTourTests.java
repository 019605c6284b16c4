package dev.airlock.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import dev.airlock.Api;
import dev.airlock.IntegrationTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's API tour, run as written with {@code bash} against this Airlock: only
 * {@code AIRLOCK} and {@code AIRLOCK_ADMIN_API_KEY} are set, and a {@code curl} function
 * put before it adds {@code --fail-with-body}, so any HTTP error fails the tour; the
 * answers its comments show must have the real answers' fields. Its last step runs
 * {@code java -jar target/airlock.jar verify-audit}: the jar {@code package} built, with
 * this test's own Java.
 */
class ReadmeTourTests extends IntegrationTestSupport {

	/** What the tour makes and removes at its end; removed here too should it fail. */
	private static final List<String> POLICIES = List.of("tiny", "trusted", "pip");

	@LocalServerPort
	int port;

	@TempDir
	Path folder;

	@BeforeEach
	@AfterEach
	void removeWhatTheTourMakes() {
		api.delete("/v1/pools/bb");
		POLICIES.forEach(name -> api.delete("/v1/policies/" + name));
		api.delete("/v1/admin/halt?tenant=team-a");
		for (var query : List.of("tenant=team-a&status=RUNNING", "label=run:demo&status=RUNNING")) {
			api.get("/v1/sandboxes?size=500&" + query)
				.json()
				.get("items")
				.forEach(sandbox -> api.delete("/v1/sandboxes/" + sandbox.get("id").asString()));
		}
	}

	@Test
	void theTourRunsAsWrittenAndAnswersWhatItShows() throws Exception {
		var tour = ReadmeTour.read(Path.of("README.md"));
		var jar = Path.of("target/airlock.jar").toAbsolutePath();
		assertThat(jar).as("the tour's verify-audit needs the jar: run after ./mvnw package").exists();
		Files.createSymbolicLink(folder.resolve("target"), jar.getParent());
		var answers = Files.createDirectory(folder.resolve("answers"));

		var run = run(prologue(answers) + tour.script());

		assertThat(run.exitCode()).as("the tour failed:\n%s", run.output()).isZero();
		assertThat(run.output())
			.as("the halt killed team-a's sandbox, the warm sandbox had its env, the export checked")
			.contains("\"killed\":1", "\"stdout\":\"warm\\n\"", "OK: ");
		var checked = 0;
		var recorded = recorded(answers);
		for (var example : tour.examples()) {
			var owner = recorded.headMap(example.line()).lastEntry();
			assertThat(owner).as("a curl before the example at line %d", example.line()).isNotNull();
			var answer = owner.getValue();
			if (example.isEvents()) {
				assertThat(answer).as("the events shown at line %d", example.line())
					.containsSubsequence(example.events().stream().map(name -> "event: " + name + "\n").toList());
			}
			else {
				var real = ReadmeTour.keys(Api.Response.parse(answer));
				var shown = example.keys();
				assertThat(real).as("fields of the answer shown at line %d: %s", example.line(), answer)
					.containsAll(shown);
				if (!example.abridged() && !tourLine(tour, owner.getKey()).contains("| jq")) {
					assertThat(shown).as("fields of the complete answer shown at line %d: %s", example.line(), answer)
						.containsAll(real);
				}
			}
			checked++;
		}
		assertThat(checked).as("examples checked").isGreaterThanOrEqualTo(20);
	}

	/**
	 * Stops at the first failing command; each {@code curl}'s answer is kept under the
	 * tour's line number that called it (the last call, for one in a loop).
	 */
	private static String prologue(Path answers) {
		return "set -euo pipefail; curl() { local out; out=$(command curl --fail-with-body \"$@\") "
				+ "|| { printf '%s\\n' \"$out\" >&2; return 1; }; printf '%s' \"$out\" > '" + answers
				+ "'/$((BASH_LINENO[0] - 1)); printf '%s\\n' \"$out\"; }\n";
	}

	private ExternalTool.Result run(String script) throws IOException, InterruptedException {
		var file = Files.writeString(folder.resolve("tour.sh"), script);
		var command = new ProcessBuilder("bash", file.toString()).directory(folder.toFile()).redirectErrorStream(true);
		var environment = command.environment();
		environment.keySet().removeIf(name -> name.startsWith("AIRLOCK") || name.equals("KEY"));
		environment.put("AIRLOCK", "http://localhost:" + port);
		environment.put("AIRLOCK_ADMIN_API_KEY", Api.ADMIN_KEY);
		// the tour's java: this test's own (the build's), not whatever java comes first
		// on the PATH
		environment.put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + environment.get("PATH"));
		var output = folder.resolve("output.txt");
		var process = command.redirectOutput(output.toFile()).start();
		var ended = process.waitFor(5, TimeUnit.MINUTES);
		if (!ended) {
			process.destroyForcibly();
		}
		assertThat(ended).as("the tour ended within 5 minutes:\n%s", Files.readString(output)).isTrue();
		return new ExternalTool.Result(process.exitValue(), Files.readString(output));
	}

	private static TreeMap<Integer, String> recorded(Path answers) throws IOException {
		var recorded = new TreeMap<Integer, String>();
		try (var files = Files.list(answers)) {
			for (var file : files.toList()) {
				recorded.put(Integer.parseInt(file.getFileName().toString()), Files.readString(file));
			}
		}
		return recorded;
	}

	private static String tourLine(ReadmeTour tour, int line) {
		return tour.script().split("\n", -1)[line - 1];
	}

}
