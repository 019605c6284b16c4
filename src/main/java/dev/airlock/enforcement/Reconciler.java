package dev.airlock.enforcement;

import java.util.HashMap;
import java.util.HashSet;

import dev.airlock.runtime.ContainerLifecycle;
import dev.airlock.runtime.ContainerState;
import dev.airlock.runtime.EngineIdentity;
import dev.airlock.runtime.RuntimeUnavailable;
import dev.airlock.sandbox.EndReason;
import dev.airlock.sandbox.LiveSandbox;
import dev.airlock.sandbox.PooledContainers;
import dev.airlock.sandbox.SandboxEndings;
import dev.airlock.sandbox.SandboxPlacement;
import dev.airlock.sandbox.SandboxQueries;
import dev.airlock.sandbox.SandboxStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Makes Docker and the database agree, at start-up and then periodically: this
 * deployment's containers and volumes with no live row are removed; RUNNING rows whose
 * container is gone are LOST (or ended as exited); endings and creates that a crash
 * interrupted are finished. Only this deployment's containers and the rows of this engine
 * count: another deployment's containers on the engine, and sandboxes on another engine,
 * are not this pass's to judge. Containers from before deployments were labelled are this
 * deployment's when its database has their row, and otherwise left alone. Warm pools'
 * members are not sandboxes yet, and not orphans either. When the engine cannot be
 * reached nothing is decided: a pass never mistakes "cannot see" for "gone". One replica
 * per engine reconciles at a time.
 */
@Component
class Reconciler {

	private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

	private final ContainerLifecycle containers;

	private final EngineIdentity engine;

	private final SandboxQueries queries;

	private final SandboxPlacement placement;

	private final SandboxEndings endings;

	private final EnforcementSettings settings;

	private final ObjectProvider<PooledContainers> pools;

	Reconciler(ContainerLifecycle containers, EngineIdentity engine, SandboxQueries queries, SandboxPlacement placement,
			SandboxEndings endings, EnforcementSettings settings, ObjectProvider<PooledContainers> pools) {
		this.containers = containers;
		this.engine = engine;
		this.queries = queries;
		this.placement = placement;
		this.endings = endings;
		this.settings = settings;
		this.pools = pools;
	}

	@EventListener(ApplicationReadyEvent.class)
	void atStartup() {
		Thread.ofVirtual().name("reconcile-at-startup").start(this::periodically);
	}

	void periodically() {
		try {
			var report = reconcile();
			if (!report.isQuiet()) {
				log.info("Reconciled: {}", report);
			}
		}
		catch (RuntimeUnavailable e) {
			log.warn("Reconcile skipped: {}", e.getMessage());
		}
		catch (RuntimeException e) {
			log.warn("Reconcile failed: {}", e.getMessage());
		}
	}

	/** One pass; answers what it did. */
	Report reconcile() {
		// Read the rows first: a container created after this read is newer than its row,
		// never an orphan.
		var engineId = engine.engineId();
		var live = new HashMap<String, LiveSandbox>();
		queries.live(engineId).forEach(s -> live.put(s.id(), s));
		var seen = new HashMap<String, ContainerState>();
		for (var container : containers.managedContainers()) {
			if (container.sandboxId() != null) {
				seen.put(container.sandboxId(), container);
			}
		}
		var report = new Report();

		var orphans = new HashSet<String>(seen.keySet());
		orphans.addAll(containers.volumeOwners());
		// unlabelled, from before deployments were: this deployment's if its row is here
		containers.unlabeledOwners()
			.stream()
			.filter(id -> !live.containsKey(id) && queries.statusNow(id).isPresent())
			.forEach(orphans::add);
		orphans.removeAll(live.keySet());
		// warm pools' members: no sandboxes yet, but not orphans (their pass keeps them)
		var pooled = pools.getIfAvailable();
		if (pooled != null) {
			orphans.removeAll(pooled.members());
		}
		// created after the read above
		orphans.removeIf(id -> queries.statusNow(id).filter(status -> !status.isTerminal()).isPresent());
		report.orphansRemoved = Endings.forEach(orphans, settings.watchdogConcurrency(), containers::remove);

		for (var sandbox : live.values()) {
			try {
				switch (sandbox.status()) {
					case RUNNING -> {
						var container = seen.get(sandbox.id());
						if (container == null) {
							// unlabelled (from before deployments were) or gone
							container = containers.inspect(sandbox.id()).orElse(null);
						}
						if (container == null) {
							if (endings.end(sandbox.id(), SandboxStatus.LOST, EndReason.CONTAINER_MISSING,
									"the container is gone", SandboxEndings.SYSTEM)) {
								report.lost++;
							}
						}
						else if (sandbox.engineId() == null && placement.adopt(sandbox.id(), engineId)) {
							report.adopted++;
						}
						if (container != null && !container.running()) {
							var state = containers.inspect(sandbox.id()).orElse(container);
							var ended = state.oomKilled()
									? endings.end(sandbox.id(), SandboxStatus.KILLED, EndReason.MEMORY_LIMIT,
											"the kernel killed the main process for memory", SandboxEndings.SYSTEM)
									: endings.end(sandbox.id(), SandboxStatus.TERMINATED, EndReason.MAIN_PROCESS_EXITED,
											"exit code " + state.exitCode(), SandboxEndings.SYSTEM);
							if (ended) {
								report.exited++;
							}
						}
					}
					case STOPPING -> {
						if (endings.finishEnding(sandbox.id(), SandboxEndings.SYSTEM)) {
							report.endingsFinished++;
						}
					}
					case CREATING -> {
						if (endings.failStuckCreate(sandbox.id(), settings.stuckCreateAfter())) {
							report.stuckCreatesFailed++;
						}
					}
					default -> {
					}
				}
			}
			catch (RuntimeUnavailable e) {
				throw e;
			}
			catch (RuntimeException e) {
				log.warn("Reconciling {} failed: {}", sandbox.id(), e.getMessage());
			}
		}
		return report;
	}

	/** What one pass did. */
	static final class Report {

		int orphansRemoved;

		int lost;

		int exited;

		int endingsFinished;

		int stuckCreatesFailed;

		int adopted;

		boolean isQuiet() {
			return orphansRemoved + lost + exited + endingsFinished + stuckCreatesFailed + adopted == 0;
		}

		@Override
		public String toString() {
			return "orphans removed " + orphansRemoved + ", lost " + lost + ", exited " + exited + ", endings finished "
					+ endingsFinished + ", stuck creates failed " + stuckCreatesFailed + ", engine recorded on "
					+ adopted;
		}

	}

}
