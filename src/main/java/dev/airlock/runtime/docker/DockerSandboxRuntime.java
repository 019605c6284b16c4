package dev.airlock.runtime.docker;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.InternalServerErrorException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.VolumeOptions;
import dev.airlock.core.AirlockException;
import dev.airlock.runtime.ContainerEvent;
import dev.airlock.runtime.ContainerLabels;
import dev.airlock.runtime.ContainerSpec;
import dev.airlock.runtime.ContainerStartFailed;
import dev.airlock.runtime.ContainerState;
import dev.airlock.runtime.ContainerStats;
import dev.airlock.runtime.ExecOutcome;
import dev.airlock.runtime.ExecOutput;
import dev.airlock.runtime.ExecSpec;
import dev.airlock.runtime.FileContent;
import dev.airlock.runtime.FileEntry;
import dev.airlock.runtime.ImageNotFound;
import dev.airlock.runtime.RuntimeUnavailable;
import dev.airlock.runtime.SandboxRuntime;
import dev.airlock.runtime.StartedContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs sandboxes as hardened Docker containers, one per sandbox, found again by their
 * labels.
 */
@Component
class DockerSandboxRuntime implements SandboxRuntime {

	private static final Logger log = LoggerFactory.getLogger(DockerSandboxRuntime.class);

	private static final String NAME_PREFIX = "airlock-";

	private static final List<String> KEEP_ALIVE = List.of(ToolsVolume.BUSYBOX, "sleep", "infinity");

	private final DockerClient docker;

	private final DockerSettings settings;

	private final ToolsVolume tools;

	private final DockerExec exec;

	private final DockerFiles files;

	private final DockerMonitoring monitoring;

	private final CgroupCounters cgroups;

	DockerSandboxRuntime(DockerClient docker, DockerSettings settings, ToolsVolume tools, DockerExec exec,
			DockerFiles files, DockerMonitoring monitoring, CgroupCounters cgroups) {
		this.docker = docker;
		this.settings = settings;
		this.tools = tools;
		this.exec = exec;
		this.files = files;
		this.monitoring = monitoring;
		this.cgroups = cgroups;
	}

	@Override
	public StartedContainer start(ContainerSpec spec) {
		ensureImage(spec.image());
		var toolsMount = tools.mountFor(spec.image());
		try {
			var mounts = createVolumes(spec);
			mounts.add(toolsMount);
			var created = createContainer(() -> docker.createContainerCmd(spec.image())
				.withName(NAME_PREFIX + spec.sandboxId())
				.withHostName("sandbox")
				// argv exactly as asked, whatever ENTRYPOINT or CMD the image declares
				.withEntrypoint(mainProcess(spec).get(0))
				.withCmd(mainProcess(spec).subList(1, mainProcess(spec).size()))
				.withEnv(spec.env().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
				.withWorkingDir(spec.workdir())
				.withUser(spec.user())
				.withLabels(labels(spec))
				.withHostConfig(hostConfig(spec, mounts))
				.exec());
			startContainer(created.getId());
			var state = inspectById(created.getId())
				.orElseThrow(() -> new ContainerStartFailed("The container vanished while starting."));
			if (!state.running()) {
				throw new ContainerStartFailed("The main process " + mainProcess(spec).getFirst()
						+ " exited at once with code " + state.exitCode() + meaning(state.exitCode()) + ".");
			}
			return new StartedContainer(created.getId());
		}
		catch (RuntimeException e) {
			removeQuietly(spec.sandboxId(), e);
			throw e;
		}
	}

	/**
	 * The asked-for argv, or a keep-alive from the tools volume: it needs nothing from
	 * the image.
	 */
	private static List<String> mainProcess(ContainerSpec spec) {
		return spec.command().isEmpty() ? KEEP_ALIVE : spec.command();
	}

	private static CreateContainerResponse createContainer(Supplier<CreateContainerResponse> create) {
		try {
			return create.get();
		}
		catch (BadRequestException | InternalServerErrorException e) {
			// The engine refused this image with these settings (a workdir that is a
			// file, say); Docker 20.10
			// answers many such refusals with a 500, so the engine's own words go to the
			// client.
			throw new ContainerStartFailed("The container could not be created: " + DockerErrors.engineMessage(e));
		}
		catch (RuntimeException e) {
			throw DockerErrors.translate("create the container", e);
		}
	}

	private static String meaning(Long exitCode) {
		if (exitCode == null) {
			return "";
		}
		return exitCode == 127 ? " (command not found)" : exitCode == 126 ? " (not executable)" : "";
	}

	private void startContainer(String containerId) {
		try {
			docker.startContainerCmd(containerId).exec();
		}
		catch (BadRequestException | InternalServerErrorException e) {
			// The OCI runtime refused the process: a missing executable, a bad workdir or
			// user.
			throw new ContainerStartFailed("The container could not start: " + DockerErrors.engineMessage(e));
		}
		catch (NotModifiedException alreadyStarted) {
			// fine: it runs
		}
		catch (RuntimeException e) {
			throw DockerErrors.translate("start the container", e);
		}
	}

	private HostConfig hostConfig(ContainerSpec spec, List<Mount> mounts) {
		return HostConfig.newHostConfig()
			.withPrivileged(false)
			.withCapDrop(Capability.ALL)
			.withSecurityOpts(List.of("no-new-privileges"))
			.withReadonlyRootfs(spec.readOnlyRootfs())
			.withMounts(mounts)
			.withMemory(spec.memoryBytes())
			.withMemorySwap(spec.memoryBytes())
			.withNanoCPUs(Math.round(spec.cpus() * 1_000_000_000d))
			.withPidsLimit(spec.pidsLimit())
			.withNetworkMode(spec.network() == ContainerSpec.Network.NONE ? "none" : "bridge")
			.withIpcMode("private")
			.withInit(true)
			.withRestartPolicy(RestartPolicy.noRestart())
			.withRuntime(spec.runtime())
			.withLogConfig(new LogConfig(LogConfig.LoggingType.JSON_FILE,
					Map.of("max-size", String.valueOf(settings.logMaxSize().toBytes()), "max-file",
							String.valueOf(settings.logMaxFiles()))));
	}

	/**
	 * One tmpfs-backed volume per writable path: size-limited, owned by the sandbox user,
	 * visible to the archive API.
	 */
	private List<Mount> createVolumes(ContainerSpec spec) {
		var mounts = new ArrayList<Mount>();
		for (int i = 0; i < spec.writablePaths().size(); i++) {
			var name = NAME_PREFIX + spec.sandboxId() + "-" + i;
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

	private void ensureImage(String image) {
		try {
			docker.inspectImageCmd(image).exec();
			return;
		}
		catch (NotFoundException missing) {
			if (settings.pullPolicy() == DockerSettings.PullPolicy.NEVER) {
				throw new ImageNotFound(image, "it is not on the host and pulling is disabled.");
			}
		}
		catch (RuntimeException e) {
			throw DockerErrors.translate("inspect the image", e);
		}
		pull(image);
	}

	private void pull(String image) {
		log.info("Pulling image {}", image);
		try {
			var done = docker.pullImageCmd(image)
				.exec(new PullImageResultCallback())
				.awaitCompletion(settings.pullTimeout().toMillis(), TimeUnit.MILLISECONDS);
			if (!done) {
				throw new ImageNotFound(image, "the pull did not finish within " + settings.pullTimeout() + ".");
			}
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new ImageNotFound(image, "the pull was interrupted.");
		}
		catch (AirlockException e) {
			throw e;
		}
		catch (RuntimeException e) {
			if (DockerErrors.isUnreachable(e)) {
				throw DockerErrors.translate("pull the image", e);
			}
			var why = e instanceof DockerException docker ? DockerErrors.engineMessage(docker) : e.getMessage();
			throw new ImageNotFound(image, "the pull failed: " + why);
		}
	}

	@Override
	public void remove(String sandboxId) {
		var filter = Map.of(ContainerLabels.SANDBOX_ID, sandboxId);
		var containers = DockerErrors.call("list containers",
				() -> docker.listContainersCmd().withShowAll(true).withLabelFilter(filter).exec());
		for (Container container : containers) {
			cgroups.forget(container.getId());
			try {
				docker.removeContainerCmd(container.getId()).withForce(true).withRemoveVolumes(true).exec();
			}
			catch (NotFoundException gone) {
				// removed by someone else meanwhile: fine
			}
			catch (RuntimeException e) {
				if (!isRemovalInProgress(e)) {
					throw DockerErrors.translate("remove the container", e);
				}
			}
		}
		var volumes = DockerErrors.call("list volumes",
				() -> docker.listVolumesCmd()
					.withFilter("label", List.of(ContainerLabels.SANDBOX_ID + "=" + sandboxId))
					.exec()
					.getVolumes());
		if (volumes == null) {
			return;
		}
		for (var volume : volumes) {
			try {
				docker.removeVolumeCmd(volume.getName()).exec();
			}
			catch (NotFoundException gone) {
				// fine
			}
			catch (RuntimeException e) {
				throw DockerErrors.translate("remove a volume", e);
			}
		}
	}

	private static boolean isRemovalInProgress(RuntimeException e) {
		return e instanceof DockerException docker && docker.getHttpStatus() == 409
				&& String.valueOf(docker.getMessage()).contains("already in progress");
	}

	private void removeQuietly(String sandboxId, RuntimeException cause) {
		try {
			remove(sandboxId);
		}
		catch (RuntimeException e) {
			cause.addSuppressed(e);
			log.warn("Could not clean up after a failed start of {}: {}", sandboxId, e.getMessage());
		}
	}

	@Override
	public Optional<ContainerState> inspect(String sandboxId) {
		return DockerErrors.call("inspect the container", () -> inspectById(NAME_PREFIX + sandboxId))
			.filter(state -> sandboxId.equals(state.sandboxId()));
	}

	private Optional<ContainerState> inspectById(String idOrName) {
		try {
			var response = docker.inspectContainerCmd(idOrName).exec();
			var state = response.getState();
			var labels = response.getConfig() == null || response.getConfig().getLabels() == null
					? Map.<String, String>of() : Map.copyOf(response.getConfig().getLabels());
			return Optional.of(new ContainerState(response.getId(), labels, Boolean.TRUE.equals(state.getRunning()),
					Boolean.TRUE.equals(state.getRunning()) ? null : state.getExitCodeLong(),
					Boolean.TRUE.equals(state.getOOMKilled())));
		}
		catch (NotFoundException e) {
			return Optional.empty();
		}
		catch (RuntimeException e) {
			throw DockerErrors.translate("inspect the container", e);
		}
	}

	@Override
	public List<ContainerState> managedContainers() {
		var containers = DockerErrors.call("list containers",
				() -> docker.listContainersCmd()
					.withShowAll(true)
					.withLabelFilter(Map.of(ContainerLabels.MANAGED, "true"))
					.exec());
		return containers.stream()
			.map(c -> new ContainerState(c.getId(), c.getLabels() == null ? Map.of() : Map.copyOf(c.getLabels()),
					"running".equals(c.getState()), null, false))
			.toList();
	}

	@Override
	public ExecOutcome exec(String sandboxId, ExecSpec spec, ExecOutput output) {
		return exec.exec(sandboxId, NAME_PREFIX + sandboxId, spec, output);
	}

	@Override
	public void writeFile(String sandboxId, String root, String path, InputStream content, long size, String user) {
		files.write(sandboxId, NAME_PREFIX + sandboxId, root, path, content, size, user);
	}

	@Override
	public FileContent readFile(String sandboxId, String path) {
		return files.read(sandboxId, NAME_PREFIX + sandboxId, path);
	}

	@Override
	public List<FileEntry> listFolder(String sandboxId, String path, String user) {
		return files.list(sandboxId, NAME_PREFIX + sandboxId, path, user);
	}

	@Override
	public void delete(String sandboxId, String path, String user) {
		files.delete(sandboxId, NAME_PREFIX + sandboxId, path, user);
	}

	@Override
	public ContainerStats stats(String sandboxId) {
		return monitoring.stats(sandboxId, NAME_PREFIX + sandboxId);
	}

	@Override
	public String logs(String sandboxId, int tail, int maxBytes) {
		return monitoring.logs(sandboxId, NAME_PREFIX + sandboxId, tail, maxBytes);
	}

	@Override
	public AutoCloseable watch(Consumer<ContainerEvent> listener) {
		return monitoring.watch(listener);
	}

	@Override
	public Set<String> volumeOwners() {
		var volumes = DockerErrors.call("list volumes",
				() -> docker.listVolumesCmd()
					.withFilter("label", List.of(ContainerLabels.SANDBOX_ID))
					.exec()
					.getVolumes());
		var owners = new HashSet<String>();
		if (volumes != null) {
			for (var volume : volumes) {
				if (volume.getLabels() != null && volume.getLabels().get(ContainerLabels.SANDBOX_ID) != null) {
					owners.add(volume.getLabels().get(ContainerLabels.SANDBOX_ID));
				}
			}
		}
		return owners;
	}

	@Override
	public String ping() {
		try {
			return docker.versionCmd().exec().getVersion();
		}
		catch (RuntimeException e) {
			var translated = DockerErrors.translate("answer a ping", e);
			throw translated instanceof RuntimeUnavailable ? translated
					: new RuntimeUnavailable("The Docker engine does not answer properly.", e);
		}
	}

	private static Map<String, String> labels(ContainerSpec spec) {
		var labels = new HashMap<String, String>();
		labels.put(ContainerLabels.MANAGED, "true");
		labels.put(ContainerLabels.SANDBOX_ID, spec.sandboxId());
		labels.put(ContainerLabels.TENANT, spec.tenant());
		return labels;
	}

}
