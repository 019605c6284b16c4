package dev.airlock.runtime.docker;

import java.util.Map;
import java.util.UUID;

import dev.airlock.IntegrationTestSupport;
import dev.airlock.core.Deployment;
import dev.airlock.runtime.ContainerLabels;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sandbox container from before the egress gateway, still on Docker's bridge, is taken
 * off it; another deployment's container is left alone.
 */
class LegacyNetworksTests extends IntegrationTestSupport {

	@Autowired
	LegacyNetworks legacy;

	@Autowired
	Deployment deployment;

	@Test
	void aSandboxOnTheBridgeIsTakenOffItAndKeepsRunning() {
		var mine = docker.startSleeper(labels(deployment.id()));
		var others = docker.startSleeper(labels("another-deployment"));
		try {
			assertThat(networks(mine)).containsKey("bridge");

			assertThat(legacy.disconnect()).contains(mine).doesNotContain(others);

			assertThat(networks(mine)).isEmpty();
			assertThat(docker.client().inspectContainerCmd(mine).exec().getState().getRunning()).isTrue();
			assertThat(networks(others)).containsKey("bridge");
		}
		finally {
			docker.client().removeContainerCmd(mine).withForce(true).exec();
			docker.client().removeContainerCmd(others).withForce(true).exec();
		}
	}

	private Map<String, ?> networks(String id) {
		return docker.client().inspectContainerCmd(id).exec().getNetworkSettings().getNetworks();
	}

	private static Map<String, String> labels(String deployment) {
		return Map.of(ContainerLabels.MANAGED, "true", ContainerLabels.SANDBOX_ID, UUID.randomUUID().toString(),
				ContainerLabels.DEPLOYMENT, deployment);
	}

}
