package dev.airlock.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/**
 * The README's API tour: its {@code bash} block, and the answers its comments show
 * ({@code # {…}}, {@code # […]}, {@code # event: …}) after the command they belong to.
 */
record ReadmeTour(String script, List<Example> examples) {

	private static final Pattern KEY = Pattern.compile("\"([A-Za-z_][A-Za-z0-9_]*)\"\\s*:");

	private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");

	private static final Pattern EVENT = Pattern.compile("(?m)^event: (\\w+)$");

	static ReadmeTour read(Path readme) throws IOException {
		return parse(Files.readString(readme));
	}

	/** The first {@code bash} block under the {@code ## API tour} heading. */
	static ReadmeTour parse(String text) {
		var section = text.substring(text.indexOf("\n## API tour\n"));
		var start = section.indexOf("```bash\n") + "```bash\n".length();
		var script = section.substring(start, section.indexOf("\n```", start) + 1);
		return new ReadmeTour(script, examples(script.split("\n", -1)));
	}

	/**
	 * Each example: the comment lines right after a command, when the first opens a JSON
	 * value or an event.
	 */
	private static List<Example> examples(String[] lines) {
		var examples = new ArrayList<Example>();
		for (int i = 1; i < lines.length; i++) {
			var afterCommand = !lines[i - 1].isBlank() && !lines[i - 1].startsWith("#");
			if (!afterCommand || !opensExample(lines[i])) {
				continue;
			}
			var text = new StringBuilder();
			for (int j = i; j < lines.length && lines[j].startsWith("#"); j++) {
				text.append(lines[j].substring(1).strip()).append('\n');
			}
			examples.add(new Example(i + 1, text.toString()));
		}
		return examples;
	}

	private static boolean opensExample(String line) {
		return line.startsWith("# {") || line.startsWith("# [") || line.startsWith("# event: ");
	}

	/**
	 * An answer the tour shows, at its 1-based {@code line} in the block.
	 */
	record Example(int line, String text) {

		boolean isEvents() {
			return text.startsWith("event: ");
		}

		/** The event names it shows, in order. */
		List<String> events() {
			var names = new ArrayList<String>();
			var matcher = EVENT.matcher(text);
			while (matcher.find()) {
				names.add(matcher.group(1));
			}
			return names;
		}

		/** The JSON value it shows, from its first bracket to the matching one. */
		String json() {
			int depth = 0;
			boolean inString = false;
			for (int i = 0; i < text.length(); i++) {
				char c = text.charAt(i);
				if (inString) {
					if (c == '\\') {
						i++;
					}
					else if (c == '"') {
						inString = false;
					}
				}
				else if (c == '"') {
					inString = true;
				}
				else if (c == '{' || c == '[') {
					depth++;
				}
				else if ((c == '}' || c == ']') && --depth == 0) {
					return text.substring(0, i + 1);
				}
			}
			throw new IllegalStateException("unbalanced example at line " + line + ": " + text);
		}

		/** Every field name it shows, at any depth. */
		Set<String> keys() {
			var keys = new TreeSet<String>();
			var matcher = KEY.matcher(json());
			while (matcher.find()) {
				keys.add(matcher.group(1));
			}
			return keys;
		}

		/** Whether it leaves something out ({@code …} outside a string). */
		boolean abridged() {
			return STRING.matcher(json()).replaceAll("").contains("…");
		}

	}

	/** Every field name of a real answer, at any depth. */
	static Set<String> keys(JsonNode node) {
		var keys = new TreeSet<String>();
		collect(node, keys);
		return keys;
	}

	private static void collect(JsonNode node, Set<String> keys) {
		if (node.isObject()) {
			node.properties().forEach(entry -> {
				keys.add(entry.getKey());
				collect(entry.getValue(), keys);
			});
		}
		else if (node.isArray()) {
			node.forEach(element -> collect(element, keys));
		}
	}

}
