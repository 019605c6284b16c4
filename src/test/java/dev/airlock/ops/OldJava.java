package dev.airlock.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;

/**
 * A {@code java} older than Airlock needs (17 on Debian 12, {@code /usr/lib/jvm}), for
 * the tests of what such a Java is told; skipped, loudly, where there is none.
 */
final class OldJava {

	private static final Pattern VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");

	private OldJava() {
	}

	static ExternalTool require() {
		var found = find(Path.of("/usr/lib/jvm"));
		Assumptions.assumeTrue(found.isPresent(),
				"no Java older than 21 in /usr/lib/jvm (apt-get install openjdk-17-jre-headless); "
						+ "by hand: <java 17> -jar target/airlock.jar verify-audit FILE exits 3 with one line");
		return new ExternalTool(found.get());
	}

	private static Optional<Path> find(Path jvms) {
		if (!Files.isDirectory(jvms)) {
			return Optional.empty();
		}
		try (var homes = Files.list(jvms)) {
			return homes.filter(home -> Files.isExecutable(home.resolve("bin/java")))
				.filter(home -> feature(home) > 0)
				.filter(home -> feature(home) < 21)
				.sorted(Comparator.comparing(Path::toString))
				.map(home -> home.resolve("bin/java"))
				.findFirst();
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** The feature release its {@code release} file names; 0 when it names none. */
	private static int feature(Path home) {
		try {
			var release = home.resolve("release");
			var matcher = VERSION.matcher(Files.isReadable(release) ? Files.readString(release) : "");
			return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

}
