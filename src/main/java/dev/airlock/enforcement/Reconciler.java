package dev.airlock.enforcement;

import java.util.HashMap;
import java.util.HashSet;

import dev.airlock.runtime.ContainerState;
import dev.airlock.runtime.RuntimeUnavailable;
import dev.airlock.runtime.SandboxRuntime;
import dev.airlock.sandbox.LiveSandbox;
import dev.airlock.sandbox.SandboxService;
import dev.airlock.sandbox.SandboxStatus;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Makes Docker and the database agree, at start-up and then periodically: labelled
 * containers and volumes with no live row are removed; RUNNING rows whose container is
 * gone are LOST (or ended as exited); endings and creates that a crash interrupted are
 * finished. When the engine cannot be reached nothing is decided: a pass never mistakes
 * "cannot see" for "gone". One replica reconciles at a time.
 */
@Component
class Reconciler {

	private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

	private final SandboxRuntime runtime;

	private final SandboxService sandboxes;

	private final EnforcementSettings settings;

	Reconciler(SandboxRuntime runtime, SandboxService sandboxes, EnforcementSettings settings) {
		this.runtime = runtime;
		this.sandboxes = sandboxes;
		this.settings = settings;
	}

	@EventListener(ApplicationReadyEvent.class)
	void atStartup() {
		Thread.ofVirtual().name("reconcile-at-startup").start(this::periodically);
	}

	@Scheduled(fixedDelayString = "${airlock.enforcement.reconcile-interval:30s}",
			initialDelayString = "${airlock.enforcement.reconcile-interval:30s}")
	@SchedulerLock(name = "reconciler", lockAtMostFor = "PT5M")
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
		var live = new HashMap<String, LiveSandbox>();
		sandboxes.live().forEach(s -> live.put(s.id(), s));
		var containers = new HashMap<String, ContainerState>();
		for (var container : runtime.managedContainers()) {
			if (container.sandboxId() != null) {
				containers.put(container.sandboxId(), container);
			}
		}
		var report = new Report();

		var orphans = new HashSet<String>(containers.keySet());
		orphans.addAll(runtime.volumeOwners());
		orphans.removeAll(live.keySet());
		// created after the read above
		orphans.removeIf(id -> sandboxes.statusNow(id).filter(status -> !status.isTerminal()).isPresent());
		report.orphansRemoved = Endings.forEach(orphans, settings.watchdogConcurrency(), runtime::remove);

		for (var sandbox : live.values()) {
			try {
				switch (sandbox.status()) {
					case RUNNING -> {
						var container = containers.get(sandbox.id());
						if (container == null) {
							if (runtime.inspect(sandbox.id()).isEmpty()
									&& sandboxes.end(sandbox.id(), SandboxStatus.LOST, KillReasons.CONTAINER_MISSING,
											"the container is gone", SandboxService.SYSTEM)) {
								report.lost++;
							}
						}
						else if (!container.running()) {
							var state = runtime.inspect(sandbox.id()).orElse(container);
							var ended = state.oomKilled()
									? sandboxes.end(sandbox.id(), SandboxStatus.KILLED, KillReasons.MEMORY_LIMIT,
											"the kernel killed the main process for memory", SandboxService.SYSTEM)
									: sandboxes.end(sandbox.id(), SandboxStatus.TERMINATED,
											KillReasons.MAIN_PROCESS_EXITED, "exit code " + state.exitCode(),
											SandboxService.SYSTEM);
							if (ended) {
								report.exited++;
							}
						}
					}
					case STOPPING -> {
						if (sandboxes.finishEnding(sandbox.id(), SandboxService.SYSTEM)) {
							report.endingsFinished++;
						}
					}
					case CREATING -> {
						if (sandboxes.failStuckCreate(sandbox.id(), settings.stuckCreateAfter())) {
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

		boolean isQuiet() {
			return orphansRemoved + lost + exited + endingsFinished + stuckCreatesFailed == 0;
		}

		@Override
		public String toString() {
			return "orphans removed " + orphansRemoved + ", lost " + lost + ", exited " + exited + ", endings finished "
					+ endingsFinished + ", stuck creates failed " + stuckCreatesFailed;
		}

	}

}
