package dev.airlock.runtime.docker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.InternalServerErrorException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import dev.airlock.runtime.ContainerLabels;
import dev.airlock.runtime.ContainerLifecycle;
import dev.airlock.runtime.ContainerSpec;
import dev.airlock.runtime.ContainerStartFailed;
import dev.airlock.runtime.ContainerState;
import dev.airlock.runtime.RuntimeError;
import dev.airlock.runtime.RuntimeUnavailable;
import dev.airlock.runtime.StartedContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs sandboxes as hardened Docker containers, one per sandbox, found again by their
 * labels.
 */
@Component
class DockerLifecycle implements ContainerLifecycle {

	private static final Logger log = LoggerFactory.getLogger(DockerLifecycle.class);

	/** How long a removal begun by someone else may take before a remove gives up. */
	private static final Duration REMOVAL_WAIT = Duration.ofSeconds(30);

	private final DockerClient docker;

	private final DockerImages images;

	private final HardenedContainers containers;

	private final AgentVolume agent;

	private final CgroupCounters cgroups;

	private final AgentChannels channels;

	private final DeploymentInventory inventory;

	DockerLifecycle(DockerClient docker, DockerImages images, HardenedContainers containers, AgentVolume agent,
			CgroupCounters cgroups, AgentChannels channels, DeploymentInventory inventory) {
		this.docker = docker;
		this.images = images;
		this.containers = containers;
		this.agent = agent;
		this.cgroups = cgroups;
		this.channels = channels;
		this.inventory = inventory;
	}

	@Override
	public StartedContainer start(ContainerSpec spec) {
		images.ensure(spec.image());
		var agentMount = agent.mountFor(spec.image());
		try {
			var containerId = containers.create(spec, agentMount);
			startContainer(containerId);
			RuntimeException handshake = null;
			try {
				channels.connectFresh(spec.sandboxId());
			}
			catch (RuntimeException e) {
				handshake = e;
			}
			var state = inspectById(containerId)
				.orElseThrow(() -> new ContainerStartFailed("The container vanished while starting."));
			if (!state.running()) {
				var main = spec.command().isEmpty() ? "(the agent)" : spec.command().getFirst();
				throw new ContainerStartFailed("The main process " + main + " exited at once with code "
						+ state.exitCode() + meaning(state.exitCode()) + ".");
			}
			if (handshake != null) {
				throw new ContainerStartFailed("The sandbox's agent did not answer: " + handshake.getMessage());
			}
			return new StartedContainer(containerId);
		}
		catch (RuntimeException e) {
			removeQuietly(spec.sandboxId(), e);
			throw e;
		}
	}

	/**
	 * Whether a stopped sandbox stopped because its agent died rather than because its
	 * main command exited: the agent reports the main command's exit before it leaves. A
	 * sandbox without a command has only the agent to exit; one whose session never stood
	 * in this process is given the benefit of the doubt.
	 */
	private boolean agentLost(String sandboxId, Map<String, String> labels) {
		if (channels.mainExited(sandboxId)) {
			return false;
		}
		return channels.known(sandboxId) || !labels.containsKey(ContainerLabels.HAS_COMMAND);
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

	@Override
	public void remove(String sandboxId) {
		var filter = Map.of(ContainerLabels.SANDBOX_ID, sandboxId);
		var containers = DockerErrors.call("list containers",
				() -> docker.listContainersCmd().withShowAll(true).withLabelFilter(filter).exec());
		channels.forget(sandboxId);
		cgroups.forget(sandboxId);
		for (Container container : containers) {
			if (!inventory.mine(container.getLabels())) {
				continue;
			}
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
				// someone else removes it: answer once it is gone, as if this call had
				awaitRemoved(container.getId(), e);
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
			if (!inventory.mine(volume.getLabels())) {
				continue;
			}
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

	private void awaitRemoved(String containerId, RuntimeException inProgress) {
		var deadline = System.nanoTime() + REMOVAL_WAIT.toNanos();
		while (DockerErrors.call("inspect the container", () -> exists(containerId))) {
			if (System.nanoTime() > deadline || !Sleeps.quietly(Duration.ofMillis(20))) {
				throw new RuntimeError("The engine did not finish removing container " + containerId + " within "
						+ REMOVAL_WAIT.toSeconds() + " s.", inProgress);
			}
		}
	}

	private boolean exists(String containerId) {
		try {
			docker.inspectContainerCmd(containerId).exec();
			return true;
		}
		catch (NotFoundException gone) {
			return false;
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
	public void limit(String sandboxId, double cpus, long memoryBytes) {
		DockerErrors.call("update the container's limits",
				() -> docker.updateContainerCmd(DockerNames.container(sandboxId))
					.withNanoCPUs(Math.round(cpus * 1_000_000_000d))
					.withMemory(memoryBytes)
					.withMemorySwap(memoryBytes)
					.exec());
	}

	@Override
	public Optional<ContainerState> inspect(String sandboxId) {
		return DockerErrors.call("inspect the container", () -> inspectById(DockerNames.container(sandboxId)))
			.filter(state -> sandboxId.equals(state.sandboxId()));
	}

	private Optional<ContainerState> inspectById(String idOrName) {
		try {
			var response = docker.inspectContainerCmd(idOrName).exec();
			var state = response.getState();
			var labels = response.getConfig() == null || response.getConfig().getLabels() == null
					? Map.<String, String>of() : Map.copyOf(response.getConfig().getLabels());
			var running = Boolean.TRUE.equals(state.getRunning());
			var sandboxId = labels.get(ContainerLabels.SANDBOX_ID);
			return Optional.of(new ContainerState(response.getId(), labels, running,
					running ? null : state.getExitCodeLong(), Boolean.TRUE.equals(state.getOOMKilled()),
					!running && sandboxId != null && agentLost(sandboxId, labels)));
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
		return inventory.containers();
	}

	@Override
	public Set<String> volumeOwners() {
		return inventory.volumeOwners();
	}

	@Override
	public Set<String> unlabeledOwners() {
		return inventory.unlabeledOwners();
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

}
