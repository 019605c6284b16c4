package dev.airlock.exec;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A policy's {@code deniedCommandPatterns} against an exec's argv, in each of its
 * spellings: the argv joined by spaces as given, with {@code argv[0]} cut to its last
 * segment ({@code /usr/bin/nmap} → {@code nmap}), and with {@code argv[0]} as the program
 * the sandbox would run ({@code nmap} → {@code /usr/bin/nmap}), in each of its spellings
 * ({@code /bin/nmap} and, where {@code /bin} links to {@code usr/bin},
 * {@code /usr/bin/nmap}). A pattern written for either spelling of a program catches the
 * other. A guard-rail: a shell or {@code env} started with the program as an argument is
 * not looked into.
 */
final class DeniedPatterns {

	private DeniedPatterns() {
	}

	/**
	 * The first pattern (a regex find) that a spelling of {@code argv} matches, or null.
	 * @param programs the absolute paths of the program the sandbox would run (empty when
	 * unknown)
	 */
	static @Nullable String firstMatch(List<String> patterns, List<String> argv, List<String> programs) {
		if (patterns.isEmpty()) {
			return null;
		}
		var lines = new LinkedHashSet<String>();
		var name = argv.getFirst();
		lines.add(String.join(" ", argv));
		lines.add(withProgram(argv, name.substring(name.lastIndexOf('/') + 1)));
		programs.forEach(path -> lines.add(withProgram(argv, path)));
		for (var pattern : patterns) {
			var compiled = Pattern.compile(pattern);
			if (lines.stream().anyMatch(line -> compiled.matcher(line).find())) {
				return pattern;
			}
		}
		return null;
	}

	private static String withProgram(List<String> argv, String program) {
		var spelled = new ArrayList<>(argv);
		spelled.set(0, program);
		return String.join(" ", spelled);
	}

}
