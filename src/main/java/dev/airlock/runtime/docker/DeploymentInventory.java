package dev.airlock.runtime.docker;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import dev.airlock.core.Deployment;
import dev.airlock.runtime.ContainerLabels;
import dev.airlock.runtime.ContainerState;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * What this deployment has in the engine, found by its {@link ContainerLabels#DEPLOYMENT}
 * label (the engine does the matching), and what predates that label. Other deployments
 * sharing the engine are invisible here.
 */
@Component
class DeploymentInventory {

	private final DockerClient docker;

	private final Deployment deployment;

	DeploymentInventory(DockerClient docker, Deployment deployment) {
		this.docker = docker;
		this.deployment = deployment;
	}

	/**
	 * Whether something with these labels may be removed by this deployment: its own, or
	 * made before deployments were labelled (the caller knows the sandbox is its own).
	 */
	boolean mine(@Nullable Map<String, String> labels) {
		var owner = labels == null ? null : labels.get(ContainerLabels.DEPLOYMENT);
		return owner == null || owner.equals(deployment.id());
	}

	/** Every sandbox container of this deployment. */
	List<ContainerState> containers() {
		return sandboxContainers(Map.of(ContainerLabels.MANAGED, "true", ContainerLabels.DEPLOYMENT, deployment.id()))
			.stream()
			.map(c -> new ContainerState(c.getId(), Map.copyOf(c.getLabels()), "running".equals(c.getState()), null,
					false, false))
			.toList();
	}

	/** Sandbox ids with volumes of this deployment. */
	Set<String> volumeOwners() {
		return sandboxIdsOf(sandboxVolumes(ContainerLabels.DEPLOYMENT + "=" + deployment.id()));
	}

	/** Sandbox ids of containers and volumes that carry no deployment's id. */
	Set<String> unlabeledOwners() {
		var unlabeled = new ArrayList<Map<String, String>>();
		sandboxContainers(Map.of(ContainerLabels.MANAGED, "true")).forEach(c -> unlabeled.add(c.getLabels()));
		unlabeled.addAll(sandboxVolumes(null));
		unlabeled.removeIf(labels -> labels.containsKey(ContainerLabels.DEPLOYMENT));
		return sandboxIdsOf(unlabeled);
	}

	/** Containers with these labels that belong to a sandbox. */
	private List<Container> sandboxContainers(Map<String, String> labels) {
		return DockerErrors
			.call("list containers", () -> docker.listContainersCmd().withShowAll(true).withLabelFilter(labels).exec())
			.stream()
			.filter(c -> c.getLabels() != null && c.getLabels().get(ContainerLabels.SANDBOX_ID) != null)
			.toList();
	}

	/**
	 * The labels of every sandbox's volume; of those that also carry {@code label}, when
	 * it is given.
	 */
	private List<Map<String, String>> sandboxVolumes(@Nullable String label) {
		var filter = label == null ? List.of(ContainerLabels.SANDBOX_ID) : List.of(ContainerLabels.SANDBOX_ID, label);
		var volumes = DockerErrors.call("list volumes",
				() -> docker.listVolumesCmd().withFilter("label", filter).exec().getVolumes());
		if (volumes == null) {
			return List.of();
		}
		return volumes.stream()
			.<Map<String, String>>map(volume -> volume.getLabels())
			.filter(labels -> labels != null && labels.get(ContainerLabels.SANDBOX_ID) != null)
			.toList();
	}

	private static Set<String> sandboxIdsOf(List<Map<String, String>> labels) {
		var ids = new HashSet<String>();
		labels.forEach(l -> ids.add(l.get(ContainerLabels.SANDBOX_ID)));
		return ids;
	}

}
