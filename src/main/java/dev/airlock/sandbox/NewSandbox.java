package dev.airlock.sandbox;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What a client asks for when it creates a sandbox; whatever is left out comes from the
 * policy.
 *
 * @param image the image reference
 * @param policy the policy's name, or {@code null} for {@code default}
 * @param ttlSeconds the lease, capped by the policy's {@code maxTtlSeconds}
 * @param env environment for the main process; handed to the container, never stored
 * @param labels the client's own labels, for filtering lists
 * @param cpus CPU cores, at most the policy's
 * @param memoryMb memory, at most the policy's
 * @param command the main process, or {@code null} for a keep-alive
 * @param workdir the working folder, or {@code null} for the policy's first writable path
 */
public record NewSandbox(String image, @Nullable String policy, @Nullable Integer ttlSeconds, Map<String, String> env,
		Map<String, String> labels, @Nullable Double cpus, @Nullable Integer memoryMb, @Nullable List<String> command,
		@Nullable String workdir) {

	/** Never prints env values. */
	@Override
	public String toString() {
		return "NewSandbox[image=" + image + ", policy=" + policy + ", ttlSeconds=" + ttlSeconds + ", envKeys="
				+ env.keySet() + ", labels=" + labels + ", cpus=" + cpus + ", memoryMb=" + memoryMb + ", command="
				+ command + ", workdir=" + workdir + "]";
	}
}
