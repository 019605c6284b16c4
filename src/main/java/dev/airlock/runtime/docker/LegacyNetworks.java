package dev.airlock.runtime.docker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.github.dockerjava.api.DockerClient;
import dev.airlock.runtime.ContainerLabels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Sandboxes started before egress went through the gateway sit on Docker's bridge, where
 * they could reach each other, the host and Airlock. At start, every such container of
 * this deployment is taken off every network: it keeps running, with loopback only.
 */
@Component
class LegacyNetworks {

	private static final Logger log = LoggerFactory.getLogger(LegacyNetworks.class);

	private final DockerClient docker;

	private final DeploymentInventory inventory;

	LegacyNetworks(DockerClient docker, DeploymentInventory inventory) {
		this.docker = docker;
		this.inventory = inventory;
	}

	@EventListener(ApplicationReadyEvent.class)
	void atStart() {
		Thread.ofVirtual().name("legacy-networks").start(() -> {
			try {
				disconnect();
			}
			catch (RuntimeException e) {
				log.warn("Could not check sandboxes for networks from before the egress gateway: {}", e.getMessage());
			}
		});
	}

	/**
	 * Takes this deployment's sandbox containers off every network; answers their ids.
	 */
	List<String> disconnect() {
		var cut = new ArrayList<String>();
		var containers = DockerErrors.call("list containers",
				() -> docker.listContainersCmd().withLabelFilter(Map.of(ContainerLabels.MANAGED, "true")).exec());
		for (var container : containers) {
			var settings = container.getNetworkSettings();
			if (!inventory.mine(container.getLabels()) || settings == null || settings.getNetworks() == null) {
				continue;
			}
			for (var network : settings.getNetworks().keySet()) {
				if (network.equals("none")) {
					continue;
				}
				DockerErrors.run("take a sandbox off a network",
						() -> docker.disconnectFromNetworkCmd()
							.withNetworkId(network)
							.withContainerId(container.getId())
							.withForce(true)
							.exec());
				log.warn("Took sandbox container {} off network {}: sandboxes reach the network only through the "
						+ "egress gateway", container.getId(), network);
				cut.add(container.getId());
			}
		}
		return cut;
	}

}
