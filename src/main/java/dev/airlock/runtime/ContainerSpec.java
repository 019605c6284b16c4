package dev.airlock.runtime;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Everything the runtime needs to start one hardened sandbox container.
 *
 * @param sandboxId the sandbox this container belongs to (labelled on it)
 * @param tenant the owning tenant (labelled on it); {@code null} for a pool member, whose
 * tenant is the one that claims it (and lives in the database: labels cannot change)
 * @param image the image reference
 * @param command the main process argv; empty for the runtime's own keep-alive (a process
 * that just waits)
 * @param env environment for the main process; values are secrets and never logged
 * @param workdir the working folder, or {@code null} for the image's
 * @param user {@code uid:gid}
 * @param cpus CPU cores (fractional)
 * @param memoryBytes memory limit; swap is held to the same value (no swap)
 * @param pidsLimit the most processes and threads at once
 * @param readOnlyRootfs whether the root filesystem is read-only
 * @param writablePaths folders mounted writable, each a size-limited tmpfs owned by
 * {@code user}
 * @param diskMb the size of each writable folder
 * @param network whether the sandbox may reach the network, through the egress gateway
 * (the container itself never has more than loopback)
 * @param runtime the OCI runtime (e.g. {@code runc})
 * @param pool the warm pool this container is started for (labelled on it), or
 * {@code null} for a sandbox's own
 */
public record ContainerSpec(String sandboxId, @Nullable String tenant, String image, List<String> command,
		Map<String, String> env, @Nullable String workdir, String user, double cpus, long memoryBytes, long pidsLimit,
		boolean readOnlyRootfs, List<String> writablePaths, int diskMb, Network network, String runtime,
		@Nullable String pool) {

	/** What network a sandbox gets. */
	public enum Network {

		/** Loopback only. */
		NONE,
		/**
		 * Loopback only, plus the agent's proxy port on it: each connection to it is
		 * relayed to the egress gateway, which decides where it may go.
		 */
		EGRESS

	}

	/**
	 * The variables that name the egress proxy in a sandbox with {@link Network#EGRESS}:
	 * set by Airlock, never by a create's env.
	 */
	public static final List<String> PROXY_VARIABLES = List.of("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy",
			"ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy");

	public int uid() {
		return Integer.parseInt(user.substring(0, user.indexOf(':')));
	}

	public int gid() {
		return Integer.parseInt(user.substring(user.indexOf(':') + 1));
	}

	/** Never prints env values. */
	@Override
	public String toString() {
		return "ContainerSpec[sandboxId=" + sandboxId + ", tenant=" + tenant + ", image=" + image + ", command="
				+ command + ", envKeys=" + env.keySet() + ", workdir=" + workdir + ", user=" + user + ", cpus=" + cpus
				+ ", memoryBytes=" + memoryBytes + ", pidsLimit=" + pidsLimit + ", readOnlyRootfs=" + readOnlyRootfs
				+ ", writablePaths=" + writablePaths + ", diskMb=" + diskMb + ", network=" + network + ", runtime="
				+ runtime + ", pool=" + pool + "]";
	}
}
