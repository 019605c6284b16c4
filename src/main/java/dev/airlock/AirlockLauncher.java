package dev.airlock;

import java.lang.reflect.InvocationTargetException;

import org.jspecify.annotations.Nullable;

/**
 * The jar's {@code Start-Class}: compiled for Java 17 (see pom.xml) so that an older
 * {@code java} reaches it and is told which Java Airlock needs, instead of failing on
 * {@code AirlockApplication}'s class version; on Java 21 or newer it hands over to
 * {@code AirlockApplication.main}.
 */
public final class AirlockLauncher {

	/** The Java feature release Airlock's classes are compiled for. */
	static final int REQUIRED_JAVA = 21;

	/** The exit code for a Java too old (0, 1 and 2 are verify-audit's own). */
	static final int EXIT_JAVA_TOO_OLD = 3;

	private AirlockLauncher() {
	}

	public static void main(String[] args) throws Throwable {
		var refusal = refusal(Runtime.version(), System.getProperty("java.home"));
		if (refusal != null) {
			System.err.println(refusal);
			System.exit(EXIT_JAVA_TOO_OLD);
		}
		// by name: this class is compiled for Java 17 and may not link to Java 21 classes
		var main = Class.forName("dev.airlock.AirlockApplication").getMethod("main", String[].class);
		try {
			main.invoke(null, (Object) args);
		}
		catch (InvocationTargetException e) {
			throw e.getCause();
		}
	}

	/**
	 * Why {@code version} cannot run Airlock, in one line, or {@code null} when it can.
	 */
	static @Nullable String refusal(Runtime.Version version, String javaHome) {
		if (version.feature() >= REQUIRED_JAVA) {
			return null;
		}
		return "Airlock needs Java " + REQUIRED_JAVA + " or newer, but this is Java " + version + " (" + javaHome
				+ "). Run it with a JDK " + REQUIRED_JAVA + "+ (e.g. Temurin 21 or 25: $JAVA_HOME/bin/java -jar "
				+ "airlock.jar ...), or in Airlock's image, which has one: "
				+ "docker run --rm -v \"$PWD:/data\" airlock:dev verify-audit /data/audit.ndjson";
	}

}
