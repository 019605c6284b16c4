package dev.airlock.runtime.docker;

/**
 * How Airlock names what it creates in the engine: one place, so every adapter agrees.
 */
final class DockerNames {

	static final String PREFIX = "airlock-";

	private DockerNames() {
	}

	/** The container of a sandbox: {@code airlock-<sandbox id>}. */
	static String container(String sandboxId) {
		return PREFIX + sandboxId;
	}

	/**
	 * The read-only tools volume every sandbox of a deployment mounts, one per tools
	 * {@code version}.
	 */
	static String tools(String deployment, String version) {
		return PREFIX + "tools-" + deployment + "-" + version;
	}

	/** The volume behind the sandbox's {@code index}-th writable path. */
	static String volume(String sandboxId, int index) {
		return PREFIX + sandboxId + "-" + index;
	}

}
