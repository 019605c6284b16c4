package dev.airlock.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every relative link of every Markdown file in the repository resolves to a file (and
 * heading) in the repository: none points outside it, as {@code ../shared/API.md} once
 * did.
 */
class DocsLinksTest {

	private static final Path ROOT = Path.of("").toAbsolutePath();

	private static final Pattern LINK = Pattern.compile("\\[[^\\]\\n]*\\]\\(([^)\\s]+)\\)");

	private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6} (.+)$");

	@Test
	void everyRelativeLinkResolvesInsideTheRepository() throws IOException {
		var documents = markdownFiles();
		assertThat(documents).as("Markdown files found")
			.contains(ROOT.resolve("README.md"), ROOT.resolve("docs/api.md"), ROOT.resolve("docs/operations.md"));
		var broken = new ArrayList<String>();
		var links = 0;
		for (var document : documents) {
			for (var target : links(Files.readString(document))) {
				links++;
				var problem = problem(document, target);
				if (problem != null) {
					broken.add(ROOT.relativize(document) + ": (" + target + ") " + problem);
				}
			}
		}
		assertThat(links).as("links checked").isGreaterThan(30);
		assertThat(broken).as("broken links").isEmpty();
	}

	@Test
	void aLinkOutOfTheRepositoryOrToNothingIsFound() {
		var readme = ROOT.resolve("README.md");
		assertThat(problem(readme, "../shared/API.md")).contains("outside");
		assertThat(problem(readme, "/etc/passwd")).contains("outside");
		assertThat(problem(readme, "docs/nothing.md")).contains("no such file");
		assertThat(problem(readme, "docs/api.md#no-such-heading")).contains("no heading");
		assertThat(problem(readme, "docs/api.md#problems")).isNull();
		assertThat(problem(readme, "#api-tour")).isNull();
		assertThat(problem(readme, "https://example.com/")).isNull();
	}

	/** What is wrong with the link, or {@code null}. */
	private static String problem(Path document, String target) {
		if (target.matches("[a-z]+:.*")) {
			return null; // https:, mailto:: not a file of the repository
		}
		var hash = target.indexOf('#');
		var file = hash < 0 ? target : target.substring(0, hash);
		var anchor = hash < 0 ? null : target.substring(hash + 1);
		if (file.startsWith("/")) {
			return "points outside the repository (an absolute path)";
		}
		var resolved = file.isEmpty() ? document : document.getParent().resolve(file).normalize();
		if (!resolved.startsWith(ROOT) || resolved.startsWith(ROOT.resolve("target"))) {
			return "points outside the repository";
		}
		if (!Files.exists(resolved)) {
			return "no such file";
		}
		if (anchor != null && resolved.toString().endsWith(".md") && !anchors(resolved).contains(anchor)) {
			return "no heading '" + anchor + "' there";
		}
		return null;
	}

	/** The links outside fenced code blocks. */
	private static List<String> links(String markdown) {
		var targets = new ArrayList<String>();
		var inCode = false;
		for (var line : markdown.split("\n")) {
			if (line.startsWith("```")) {
				inCode = !inCode;
				continue;
			}
			if (!inCode) {
				var matcher = LINK.matcher(line);
				while (matcher.find()) {
					targets.add(matcher.group(1));
				}
			}
		}
		return targets;
	}

	/** GitHub's anchors of the document's headings. */
	private static Set<String> anchors(Path document) {
		try {
			var anchors = new HashSet<String>();
			var matcher = HEADING.matcher(Files.readString(document));
			while (matcher.find()) {
				anchors.add(matcher.group(1)
					.strip()
					.toLowerCase(Locale.ROOT)
					.replaceAll("[^\\p{L}\\p{N} _-]", "")
					.replace(' ', '-'));
			}
			return anchors;
		}
		catch (IOException e) {
			throw new IllegalStateException(e);
		}
	}

	private static List<Path> markdownFiles() throws IOException {
		try (var files = Files.walk(ROOT)) {
			return files.filter(file -> file.toString().endsWith(".md"))
				.filter(file -> !ROOT.relativize(file).startsWith("target"))
				.filter(file -> !ROOT.relativize(file).toString().contains("node_modules"))
				.filter(file -> !ROOT.relativize(file).startsWith(".git"))
				.toList();
		}
	}

}
