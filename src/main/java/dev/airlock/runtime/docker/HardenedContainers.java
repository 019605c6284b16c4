package dev.airlock.runtime.docker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.InternalServerErrorException;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.VolumeOptions;
import dev.airlock.core.Deployment;
import dev.airlock.runtime.ContainerLabels;
import dev.airlock.runtime.ContainerSpec;
import dev.airlock.runtime.ContainerStartFailed;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Creates (but does not start) a sandbox's container and its writable volumes, hardened
 * as the README says: no capabilities, no new privileges, Airlock's seccomp profile,
 * masked kernel files, read-only root, no swap, limits, no network but loopback (a
 * sandbox that may reach the network does so through its agent's proxy port and the
 * egress gateway), no restarts, no engine logs, labelled; its init and main process is
 * the agent.
 */
@Component
class HardenedContainers {

	private final DockerClient docker;

	private final DockerSettings settings;

	private final Deployment deployment;

	private final int egressPort;

	@Autowired
	HardenedContainers(DockerClient docker, DockerSettings settings, Deployment deployment,
			@Value("${airlock.egress.proxy-port:3128}") int egressPort) {
		this.docker = docker;
		this.settings = settings;
		this.deployment = deployment;
		this.egressPort = egressPort;
	}

	HardenedContainers(DockerClient docker, DockerSettings settings, Deployment deployment) {
		this(docker, settings, deployment, 3128);
	}

	/**
	 * Creates the volumes and the container; answers the container's id. What it made is
	 * labelled with the sandbox id, for the caller's cleanup on failure.
	 */
	String create(ContainerSpec spec, Mount agent) {
		var mounts = createVolumes(spec);
		mounts.add(agent);
		var argv = mainProcess(spec);
		return createContainer(() -> docker.createContainerCmd(spec.image())
			.withName(DockerNames.container(spec.sandboxId()))
			.withHostName("sandbox")
			// the agent, then argv exactly as asked, whatever ENTRYPOINT or CMD the image
			// declares
			.withEntrypoint(argv.get(0))
			.withCmd(argv.subList(1, argv.size()))
			// the agent's channel: stdin stays open across attaches, no TTY
			.withStdinOpen(true)
			.withStdInOnce(false)
			.withTty(false)
			.withEnv(environment(spec).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
			.withWorkingDir(spec.workdir())
			.withUser(spec.user())
			.withLabels(labels(spec))
			.withHostConfig(hostConfig(spec, mounts))
			.exec()).getId();
	}

	/**
	 * The agent, starting the asked-for argv as its child when there is one; without one
	 * the agent alone keeps the sandbox up.
	 */
	List<String> mainProcess(ContainerSpec spec) {
		var argv = new ArrayList<String>(
				List.of(AgentVolume.AGENT, "--log-bytes", String.valueOf(settings.agentLogSize().toBytes())));
		if (spec.network() == ContainerSpec.Network.EGRESS) {
			argv.addAll(List.of("--egress-port", String.valueOf(egressPort)));
		}
		if (!spec.command().isEmpty()) {
			argv.add("--");
			argv.addAll(spec.command());
		}
		return argv;
	}

	/**
	 * The asked-for environment; with egress, the proxy settings every common client
	 * reads (curl, wget, pip, npm, apt, git, Go, Python's requests) win over it, since
	 * the sandbox has no other way out.
	 */
	Map<String, String> environment(ContainerSpec spec) {
		if (spec.network() != ContainerSpec.Network.EGRESS) {
			return spec.env();
		}
		var env = new LinkedHashMap<>(spec.env());
		var proxy = "http://127.0.0.1:" + egressPort;
		for (var name : ContainerSpec.PROXY_VARIABLES) {
			env.put(name, name.equalsIgnoreCase("NO_PROXY") ? "localhost,127.0.0.1,::1" : proxy);
		}
		return env;
	}

	private static CreateContainerResponse createContainer(Supplier<CreateContainerResponse> create) {
		try {
			return create.get();
		}
		catch (BadRequestException | InternalServerErrorException e) {
			// The engine refused this image with these settings (a workdir that is a
			// file, say); Docker 20.10 answers many such refusals with a 500, so the
			// engine's own words go to the client.
			throw new ContainerStartFailed("The container could not be created: " + DockerErrors.engineMessage(e));
		}
		catch (RuntimeException e) {
			throw DockerErrors.translate("create the container", e);
		}
	}

	private HostConfig hostConfig(ContainerSpec spec, List<Mount> mounts) {
		return new MaskedHostConfig().withPrivileged(false)
			.withCapDrop(Capability.ALL)
			.withSecurityOpts(List.of("no-new-privileges", SeccompProfile.SECURITY_OPT))
			.withReadonlyRootfs(spec.readOnlyRootfs())
			.withMounts(mounts)
			.withMemory(spec.memoryBytes())
			.withMemorySwap(spec.memoryBytes())
			.withNanoCPUs(Math.round(spec.cpus() * 1_000_000_000d))
			.withPidsLimit(spec.pidsLimit())
			// never an interface but loopback: no address another sandbox could reach, no
			// DNS, no route; egress is relayed by the agent to the gateway
			.withNetworkMode("none")
			.withIpcMode("private")
			// the agent is the init: it reaps, forwards signals, and as PID 1 nothing
			// inside
			// can kill or stop it, nor open its stdio through /proc (Docker's init would
			// hold the channel's fds, openable by the sandbox user)
			.withInit(false)
			.withRestartPolicy(RestartPolicy.noRestart())
			.withRuntime(spec.runtime())
			// the main command's output goes to the agent's ring, never through the
			// engine
			.withLogConfig(new LogConfig(LogConfig.LoggingType.NONE));
	}

	/**
	 * One tmpfs-backed volume per writable path: size-limited, owned by the sandbox user,
	 * visible to the archive API.
	 */
	private List<Mount> createVolumes(ContainerSpec spec) {
		var mounts = new ArrayList<Mount>();
		for (int i = 0; i < spec.writablePaths().size(); i++) {
			var name = DockerNames.volume(spec.sandboxId(), i);
			var options = "size=" + spec.diskMb() + "m,uid=" + spec.uid() + ",gid=" + spec.gid()
					+ ",mode=0755,nosuid,nodev";
			DockerErrors.run("create a volume",
					() -> docker.createVolumeCmd()
						.withName(name)
						.withDriver("local")
						.withDriverOpts(Map.of("type", "tmpfs", "device", "tmpfs", "o", options))
						.withLabels(labels(spec))
						.exec());
			mounts.add(new Mount().withType(MountType.VOLUME)
				.withSource(name)
				.withTarget(spec.writablePaths().get(i))
				.withVolumeOptions(new VolumeOptions().withNoCopy(true)));
		}
		return mounts;
	}

	private Map<String, String> labels(ContainerSpec spec) {
		var labels = new HashMap<String, String>();
		labels.put(ContainerLabels.MANAGED, "true");
		labels.put(ContainerLabels.DEPLOYMENT, deployment.id());
		labels.put(ContainerLabels.SANDBOX_ID, spec.sandboxId());
		if (spec.tenant() != null) {
			labels.put(ContainerLabels.TENANT, spec.tenant());
		}
		if (spec.pool() != null) {
			labels.put(ContainerLabels.POOL, spec.pool());
		}
		if (!spec.command().isEmpty()) {
			labels.put(ContainerLabels.HAS_COMMAND, "true");
		}
		return labels;
	}

}
