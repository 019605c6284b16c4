package dev.airlock.exec;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
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
	 * The argv's own spellings are tried first; only when none matches is
	 * {@code programs} asked for the absolute paths of the program the sandbox would run
	 * (empty when unknown), and those spellings tried.
	 */
	static @Nullable String firstMatch(List<String> patterns, List<String> argv, Supplier<List<String>> programs) {
		if (patterns.isEmpty()) {
			return null;
		}
		var name = argv.getFirst();
		var given = new LinkedHashSet<String>();
		given.add(String.join(" ", argv));
		given.add(withProgram(argv, name.substring(name.lastIndexOf('/') + 1)));
		var compiled = patterns.stream().map(Pattern::compile).toList();
		var denied = firstMatch(patterns, compiled, given);
		if (denied != null) {
			return denied;
		}
		var resolved = new LinkedHashSet<String>();
		programs.get().forEach(path -> resolved.add(withProgram(argv, path)));
		resolved.removeAll(given);
		return firstMatch(patterns, compiled, resolved);
	}

	private static @Nullable String firstMatch(List<String> patterns, List<Pattern> compiled, Set<String> lines) {
		for (int i = 0; i < compiled.size(); i++) {
			var pattern = compiled.get(i);
			if (lines.stream().anyMatch(line -> pattern.matcher(line).find())) {
				return patterns.get(i);
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
