package dev.airlock.runtime.docker;

import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.airlock.IntegrationTestSupport;
import dev.airlock.core.Deployment;
import dev.airlock.core.Ids;
import dev.airlock.runtime.ContainerLabels;
import dev.airlock.runtime.ContainerLifecycle;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two removals of one sandbox at once (a replica's reconciler and a delete, say): each
 * answers only once the container is gone, never while the other's removal still runs.
 */
class ConcurrentRemovalTests extends IntegrationTestSupport {

	@Autowired
	ContainerLifecycle containers;

	@Autowired
	Deployment deployment;

	@Test
	void everyRemoveAnswersOnlyWhenTheContainerIsGone() throws Exception {
		try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
			for (var round = 0; round < 5; round++) {
				var sandboxId = Ids.newId("sbx");
				var container = docker.startSleeper(Map.of(ContainerLabels.MANAGED, "true", ContainerLabels.SANDBOX_ID,
						sandboxId, ContainerLabels.DEPLOYMENT, deployment.id()));
				var start = new CyclicBarrier(3);
				var removals = new ArrayList<Future<Boolean>>();
				for (var i = 0; i < 3; i++) {
					removals.add(threads.submit(() -> {
						start.await();
						containers.remove(sandboxId);
						return docker.containerExists(container);
					}));
				}
				for (var removal : removals) {
					assertThat(removal.get()).as("still there after a remove answered").isFalse();
				}
			}
		}
	}

}
