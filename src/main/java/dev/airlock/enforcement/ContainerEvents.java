package dev.airlock.enforcement;

import dev.airlock.runtime.ContainerEvent;
import dev.airlock.runtime.ContainerLifecycle;
import dev.airlock.runtime.ContainerMonitoring;
import dev.airlock.sandbox.EndReason;
import dev.airlock.sandbox.SandboxEndings;
import dev.airlock.sandbox.SandboxQueries;
import dev.airlock.sandbox.SandboxStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Acts on the engine's events within moments: an OOM kill ends the sandbox as
 * KILLED/MEMORY_LIMIT; a main process that exits ends it as
 * TERMINATED/MAIN_PROCESS_EXITED; an agent that died, went silent or broke its protocol
 * ends it as KILLED/AGENT_LOST; a container removed behind Airlock's back is LOST, and so
 * is one its engine stopped while shutting down (LOST/RUNTIME_RESTARTED: the outcome is
 * recorded at once, the removal waits for the engine's return). Every replica listens;
 * the claim in {@link SandboxEndings#end} lets exactly one act.
 */
@Component
class ContainerEvents implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(ContainerEvents.class);

	private final ContainerLifecycle containers;

	private final ContainerMonitoring monitoring;

	private final SandboxQueries queries;

	private final SandboxEndings endings;

	private final EnforcementSettings settings;

	private volatile AutoCloseable subscription;

	ContainerEvents(ContainerLifecycle containers, ContainerMonitoring monitoring, SandboxQueries queries,
			SandboxEndings endings, EnforcementSettings settings) {
		this.containers = containers;
		this.monitoring = monitoring;
		this.queries = queries;
		this.endings = endings;
		this.settings = settings;
	}

	void on(ContainerEvent event) {
		switch (event.type()) {
			case OOM -> end(event.sandboxId(), SandboxStatus.KILLED, EndReason.MEMORY_LIMIT,
					"the memory limit was reached; the kernel killed a process");
			case DESTROYED -> end(event.sandboxId(), SandboxStatus.LOST, EndReason.CONTAINER_MISSING,
					"the container was removed outside Airlock");
			case AGENT_LOST -> end(event.sandboxId(), SandboxStatus.KILLED, EndReason.AGENT_LOST,
					event.detail() == null ? "the sandbox's agent is gone" : event.detail());
			case ENGINE_STOPPED -> Thread.ofVirtual().start(() -> engineStopped(event));
			case DIED -> Thread.ofVirtual().start(() -> died(event));
		}
	}

	/**
	 * Records the outcome at once; the removal fails while the engine goes down, and the
	 * reconciler finishes it once the engine is back.
	 */
	private void engineStopped(ContainerEvent event) {
		try {
			end(event.sandboxId(), SandboxStatus.LOST, EndReason.RUNTIME_RESTARTED,
					"the container engine stopped it on its way down (exit code " + event.exitCode() + ")");
		}
		catch (RuntimeException e) {
			log.info("Sandbox {} {}: its removal waits for the engine ({})", event.sandboxId(),
					EndReason.RUNTIME_RESTARTED, e.getMessage());
		}
	}

	/**
	 * Waits a moment: a container removed with force dies first and vanishes right after.
	 */
	private void died(ContainerEvent event) {
		try {
			Thread.sleep(settings.dieSettle());
		}
		catch (InterruptedException e) {
			return;
		}
		try {
			decide(event);
		}
		catch (RuntimeException e) {
			// the engine or the database went away meanwhile (or this service is
			// stopping): the reconciler decides once it can see again
			log.info("Container of {} died; not decided now: {}", event.sandboxId(), e.getMessage());
		}
	}

	private void decide(ContainerEvent event) {
		var state = containers.inspect(event.sandboxId());
		if (state.isEmpty()) {
			end(event.sandboxId(), SandboxStatus.LOST, EndReason.CONTAINER_MISSING,
					"the container was removed outside Airlock");
		}
		else if (state.get().oomKilled()) {
			end(event.sandboxId(), SandboxStatus.KILLED, EndReason.MEMORY_LIMIT,
					"the memory limit was reached; the kernel killed the main process");
		}
		else if (!state.get().running() && state.get().agentLost()) {
			end(event.sandboxId(), SandboxStatus.KILLED, EndReason.AGENT_LOST, "the sandbox's agent exited (code "
					+ (event.exitCode() != null ? event.exitCode() : state.get().exitCode()) + ")");
		}
		else if (!state.get().running()) {
			end(event.sandboxId(), SandboxStatus.TERMINATED, EndReason.MAIN_PROCESS_EXITED,
					"exit code " + (event.exitCode() != null ? event.exitCode() : state.get().exitCode()));
		}
	}

	private void end(String id, SandboxStatus status, EndReason reason, String detail) {
		if (queries.statusNow(id).orElse(null) != SandboxStatus.RUNNING) {
			return; // Airlock's own removal, or already handled
		}
		if (endings.end(id, status, reason, detail, SandboxEndings.SYSTEM)) {
			log.info("Sandbox {} {}: {}", id, reason, detail);
		}
	}

	@Override
	public void start() {
		subscription = monitoring.watch(this::on);
	}

	@Override
	public void stop() {
		var current = subscription;
		subscription = null;
		if (current != null) {
			try {
				current.close();
			}
			catch (Exception e) {
				log.debug("Closing the event subscription: {}", e.getMessage());
			}
		}
	}

	@Override
	public boolean isRunning() {
		return subscription != null;
	}

}
