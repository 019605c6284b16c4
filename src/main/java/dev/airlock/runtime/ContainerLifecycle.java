package dev.airlock.runtime;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The port to the container engine for a sandbox's container as a whole: start it, look
 * at it, remove it. Implementations translate their own errors into this package's
 * exceptions.
 */
public interface ContainerLifecycle {

	/**
	 * Creates and starts a container and waits until its main process runs. On any
	 * failure nothing of it is left behind (container and volumes removed).
	 * @throws RuntimeUnavailable when the engine cannot be reached
	 * @throws ImageNotFound when the image is not present and cannot be pulled
	 * @throws ContainerStartFailed when the engine refuses the container or its main
	 * process does not stay up
	 */
	StartedContainer start(ContainerSpec spec);

	/**
	 * Removes the sandbox's container and volumes, whatever state they are in; nothing
	 * there is fine. What carries another deployment's id is left alone.
	 */
	void remove(String sandboxId);

	/**
	 * Lowers (or raises) the running container's CPU and memory limits, as a pool member
	 * claimed by a create that asked for less than the policy's defaults.
	 * @throws RuntimeError when the engine refuses (memory already above the new limit)
	 */
	void limit(String sandboxId, double cpus, long memoryBytes);

	/** The sandbox's container, if one exists. */
	Optional<ContainerState> inspect(String sandboxId);

	/**
	 * Every sandbox container of this deployment (that carries its
	 * {@link ContainerLabels#DEPLOYMENT}).
	 */
	List<ContainerState> managedContainers();

	/**
	 * Sandbox ids that still have volumes of this deployment, with or without a
	 * container.
	 */
	Set<String> volumeOwners();

	/**
	 * Sandbox ids of containers and volumes made before deployments were labelled (no
	 * {@link ContainerLabels#DEPLOYMENT}): whether one is this deployment's, only its
	 * database can tell.
	 */
	Set<String> unlabeledOwners();

	/** Answers the engine's version, or throws {@link RuntimeUnavailable}. */
	String ping();

}
