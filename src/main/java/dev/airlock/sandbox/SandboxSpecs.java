package dev.airlock.sandbox;

import java.util.List;
import java.util.Map;

import dev.airlock.policy.NetworkMode;
import dev.airlock.policy.PolicyView;
import dev.airlock.runtime.ContainerSpec;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The one place a policy becomes a container: a sandbox's own, and a warm pool's member
 * (which must be the container a matching create would have started).
 */
@Component
public class SandboxSpecs {

	private final SandboxSettings settings;

	SandboxSpecs(SandboxSettings settings) {
		this.settings = settings;
	}

	/** The main process of a sandbox created without a {@code command}. */
	public List<String> keepAliveCommand() {
		return settings.keepAliveCommand();
	}

	/**
	 * A container for sandbox {@code id} of {@code tenant} under {@code policy}.
	 * @param command the main process; {@code null} for the keep-alive
	 */
	public ContainerSpec forSandbox(String id, String tenant, PolicyView policy, String image,
			@Nullable List<String> command, Map<String, String> env, String workdir, double cpus, int memoryMb) {
		return spec(id, tenant, null, policy, image, command, env, workdir, cpus, memoryMb);
	}

	/**
	 * A member of {@code pool}: no command, no env, the policy's defaults, no tenant yet.
	 */
	public ContainerSpec forPoolMember(String id, String pool, PolicyView policy, String image) {
		return spec(id, null, pool, policy, image, null, Map.of(), policy.writablePaths().getFirst(), policy.cpus(),
				policy.memoryMb());
	}

	private ContainerSpec spec(String id, @Nullable String tenant, @Nullable String pool, PolicyView policy,
			String image, @Nullable List<String> command, Map<String, String> env, String workdir, double cpus,
			int memoryMb) {
		return new ContainerSpec(id, tenant, image, command != null ? command : keepAliveCommand(), env, workdir,
				policy.runAsUser(), cpus, memoryMb * 1024L * 1024L, policy.pidsLimit(), policy.readOnlyRootfs(),
				policy.writablePaths(), policy.diskMb(),
				policy.network() == NetworkMode.NONE ? ContainerSpec.Network.NONE : ContainerSpec.Network.EGRESS,
				policy.runtime(), pool);
	}

}
