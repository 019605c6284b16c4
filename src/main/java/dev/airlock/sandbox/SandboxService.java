package dev.airlock.sandbox;

import java.time.Clock;
import java.time.Duration;

import dev.airlock.core.ValidationFailed;
import dev.airlock.policy.PolicyNotFound;
import dev.airlock.policy.PolicyService;
import dev.airlock.policy.PolicyView;
import dev.airlock.runtime.ContainerMonitoring;
import dev.airlock.runtime.ExecOutput;
import dev.airlock.sandbox.SandboxEvents.SandboxExtended;
import dev.airlock.security.Caller;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What API clients do with sandboxes: create, extend, destroy, look at usage and output.
 * Reads go through {@link SandboxQueries}, endings through {@link SandboxEndings}.
 */
@Service
public class SandboxService {

	private static final Duration STATS_WINDOW = Duration.ofMillis(250);

	private static final int MAX_LOG_BYTES = 10 * 1024 * 1024;

	private final SandboxCreation creation;

	private final SandboxQueries queries;

	private final SandboxEndings endings;

	private final Sandboxes sandboxes;

	private final PolicyService policies;

	private final ContainerMonitoring monitoring;

	private final ObjectProvider<CreateGuard> guards;

	private final ApplicationEventPublisher events;

	private final TransactionTemplate tx;

	private final MeterRegistry meters;

	private final Clock clock;

	SandboxService(SandboxCreation creation, SandboxQueries queries, SandboxEndings endings, Sandboxes sandboxes,
			PolicyService policies, ContainerMonitoring monitoring, ObjectProvider<CreateGuard> guards,
			ApplicationEventPublisher events, PlatformTransactionManager transactions, MeterRegistry meters,
			Clock clock) {
		this.creation = creation;
		this.queries = queries;
		this.endings = endings;
		this.sandboxes = sandboxes;
		this.policies = policies;
		this.monitoring = monitoring;
		this.guards = guards;
		this.events = events;
		this.tx = new TransactionTemplate(transactions);
		this.meters = meters;
		this.clock = clock;
	}

	/** Creates a sandbox and answers once its container runs. */
	public SandboxView create(NewSandbox request, Caller caller) {
		var started = Timer.start(meters);
		guards.orderedStream().forEach(guard -> guard.check(caller.tenant()));
		var policy = policyFor(request);
		try {
			var created = creation.create(request, caller, policy);
			started.stop(meters.timer("airlock.sandbox.create.duration", "policy", policy.name()));
			countCreate(policy.name(), "success");
			return created;
		}
		catch (SandboxCreateFailed e) {
			countCreate(policy.name(), "failed");
			throw e;
		}
		catch (RuntimeException e) {
			countCreate(policy.name(), "rejected");
			throw e;
		}
	}

	private void countCreate(String policy, String outcome) {
		meters.counter("airlock.sandbox.creates", "policy", policy, "outcome", outcome).increment();
	}

	private PolicyView policyFor(NewSandbox request) {
		var name = request.policy() != null ? request.policy() : PolicyService.DEFAULT_POLICY;
		try {
			return policies.current(name);
		}
		catch (PolicyNotFound e) {
			throw ValidationFailed.of("policy", "no policy named '" + name + "'");
		}
	}

	/**
	 * Destroys the sandbox for a client; a sandbox that has ended already is left as it
	 * is.
	 */
	public void delete(String id, Caller caller) {
		queries.get(id, caller); // 404 for what the caller may not see
		endings.end(id, SandboxStatus.TERMINATED, EndReason.DELETED, null, caller.actor());
	}

	/**
	 * Moves the lease to now + {@code ttlSeconds}, capped by the pinned policy's
	 * {@code maxTtlSeconds}.
	 */
	public SandboxView extend(String id, int ttlSeconds, Caller caller) {
		return tx.execute(status -> {
			var row = sandboxes.findForUpdate(id)
				.filter(sandbox -> caller.canSee(sandbox.tenant()))
				.orElseThrow(() -> new SandboxNotFound(id));
			if (row.status() != SandboxStatus.RUNNING) {
				throw new SandboxNotRunning(id, row.status());
			}
			var pinned = row.toView();
			var maxTtl = policies.version(pinned.policy(), pinned.policyVersion()).orElseThrow().maxTtlSeconds();
			row.extend(Math.min(ttlSeconds, maxTtl), clock.instant());
			var extended = row.toView();
			events.publishEvent(new SandboxExtended(id, extended.tenant(), extended.expiresAt(), caller.actor()));
			return extended;
		});
	}

	/**
	 * Live usage: two samples a moment apart, for a CPU percentage (100 = one core busy).
	 */
	public SandboxStats stats(String id, Caller caller) {
		requireRunning(id, caller);
		var first = monitoring.stats(id);
		try {
			Thread.sleep(STATS_WINDOW);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		var second = monitoring.stats(id);
		var wall = Math.max(1, second.sampledAtNanos() - first.sampledAtNanos());
		var cpuPercent = Math.max(0, second.cpuNanos() - first.cpuNanos()) * 100.0 / wall;
		return new SandboxStats(Math.round(cpuPercent * 10) / 10.0, second.memoryBytes(), second.memoryLimitBytes(),
				second.pids(), second.networkRxBytes(), second.networkTxBytes());
	}

	/** The main process's output, the last {@code tail} lines. */
	public String logs(String id, int tail, Caller caller) {
		requireRunning(id, caller);
		return monitoring.logs(id, tail, MAX_LOG_BYTES);
	}

	/**
	 * Streams the main process's output: the last {@code tail} lines, then new output as
	 * it comes, until the sandbox ends or {@code output} throws (the client left).
	 */
	public void followLogs(String id, int tail, Caller caller, ExecOutput output) {
		requireRunning(id, caller);
		monitoring.followLogs(id, tail, MAX_LOG_BYTES, output);
	}

	/** Refuses (404, 409) unless the caller may see the sandbox and it runs. */
	public void requireRunning(String id, Caller caller) {
		var view = queries.get(id, caller);
		if (view.status() != SandboxStatus.RUNNING) {
			throw new SandboxNotRunning(id, view.status());
		}
	}

}
