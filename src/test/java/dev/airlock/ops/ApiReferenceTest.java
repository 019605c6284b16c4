package dev.airlock.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docs/api.md} and {@code docs/openapi.json} (the served spec's snapshot) describe
 * the same operations: each method and path in one is in the other, with the same
 * operation id and success status, and the problem statuses the reference lists are in
 * the spec's responses.
 */
class ApiReferenceTest {

	/** A row of the reference's "Operations at a glance" table. */
	private static final Pattern ROW = Pattern.compile(
			"^\\| `(\\w+)` \\| (GET|POST|PUT|DELETE|PATCH) \\| `([^`]+)` \\| [^|]+ \\| (\\d{3}) \\|([\\d, ]*)\\|$",
			Pattern.MULTILINE);

	/** What every operation may answer besides its own (see the reference's table). */
	private static final Set<String> EVERY_OPERATION = Set.of("401", "403", "429", "503");

	private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch");

	@Test
	void theReferenceAndTheSpecListTheSameOperations() throws IOException {
		var documented = reference();
		var specified = spec();

		assertThat(documented).as("operations in docs/api.md").hasSizeGreaterThanOrEqualTo(34);
		assertThat(documented.keySet()).as("operations (method path) of docs/api.md and docs/openapi.json")
			.containsExactlyInAnyOrderElementsOf(specified.keySet());
		var disagreements = new ArrayList<String>();
		documented.forEach((operation, doc) -> {
			var spec = specified.get(operation);
			if (spec == null) {
				return;
			}
			if (!doc.id().equals(spec.id())) {
				disagreements
					.add(operation + ": operation id " + doc.id() + " in the reference, " + spec.id() + " in the spec");
			}
			if (!spec.successes().contains(doc.success())) {
				disagreements.add(operation + ": success " + doc.success() + " in the reference, " + spec.successes()
						+ " in the spec");
			}
			var missing = new TreeSet<>(doc.problems());
			missing.addAll(EVERY_OPERATION);
			missing.removeAll(spec.problems());
			if (!missing.isEmpty()) {
				disagreements.add(operation + ": problem statuses " + missing + " are not in the spec");
			}
		});
		assertThat(disagreements).isEmpty();
	}

	record Operation(String id, String success, Set<String> successes, Set<String> problems) {
	}

	private static Map<String, Operation> reference() throws IOException {
		var operations = new TreeMap<String, Operation>();
		var matcher = ROW.matcher(Files.readString(Path.of("docs/api.md")));
		while (matcher.find()) {
			var problems = new TreeSet<String>();
			for (var status : matcher.group(5).split(",")) {
				if (!status.isBlank()) {
					problems.add(status.strip());
				}
			}
			var previous = operations.put(matcher.group(2) + " " + matcher.group(3),
					new Operation(matcher.group(1), matcher.group(4), Set.of(matcher.group(4)), problems));
			assertThat(previous).as("one row per operation: %s", matcher.group()).isNull();
		}
		return operations;
	}

	private static Map<String, Operation> spec() {
		var document = JsonMapper.builder().build().readTree(Path.of("docs/openapi.json").toFile());
		var operations = new TreeMap<String, Operation>();
		document.get("paths").properties().forEach(path -> path.getValue().properties().forEach(method -> {
			if (METHODS.contains(method.getKey())) {
				operations.put(method.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(),
						operation(method.getValue()));
			}
		}));
		return operations;
	}

	private static Operation operation(JsonNode operation) {
		var successes = new TreeSet<String>();
		var problems = new TreeSet<String>();
		List<String> statuses = new ArrayList<>();
		operation.path("responses").propertyNames().forEach(statuses::add);
		for (var status : statuses) {
			(status.startsWith("2") ? successes : problems).add(status);
		}
		var lowest = successes.isEmpty() ? "" : successes.first();
		return new Operation(operation.path("operationId").asString(), lowest, successes, problems);
	}

}
