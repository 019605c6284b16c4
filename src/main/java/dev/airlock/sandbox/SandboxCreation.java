package dev.airlock.sandbox;

import java.time.Clock;
import java.util.HashMap;
import java.util.Optional;
import java.util.function.Supplier;

import dev.airlock.core.AirlockException;
import dev.airlock.core.Ids;
import dev.airlock.core.TransactionLocks;
import dev.airlock.core.ValidationFailed;
import dev.airlock.core.Workdir;
import dev.airlock.policy.AdmissionRequest;
import dev.airlock.policy.NetworkMode;
import dev.airlock.policy.PolicyService;
import dev.airlock.policy.PolicyView;
import dev.airlock.runtime.ContainerExec;
import dev.airlock.runtime.ContainerLifecycle;
import dev.airlock.runtime.ContainerSpec;
import dev.airlock.runtime.EngineIdentity;
import dev.airlock.runtime.RuntimeError;
import dev.airlock.runtime.RuntimeUnavailable;
import dev.airlock.sandbox.SandboxEvents.SandboxCreated;
import dev.airlock.sandbox.SandboxEvents.SandboxStartFailed;
import dev.airlock.security.Caller;
import dev.airlock.tenant.TenantQuotas;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The steps of a create, none of which holds a transaction across a Docker call: admit
 * the request, commit the row as CREATING (the policy version is pinned here), start the
 * container, commit RUNNING — or, on any failure, remove everything and commit FAILED. A
 * create a warm pool can answer claims a ready member in the transaction that commits the
 * row (the member's id becomes the sandbox's) and, instead of starting a container, hands
 * the member its env and working folder.
 */
@Component
class SandboxCreation {

	private static final Logger log = LoggerFactory.getLogger(SandboxCreation.class);

	private final Sandboxes sandboxes;

	private final PolicyService policies;

	private final ContainerLifecycle containers;

	private final EngineIdentity engine;

	private final SandboxEndings endings;

	private static final long MIB = 1024L * 1024L;

	private final SandboxSpecs specs;

	private final ContainerExec exec;

	private final ObjectProvider<PooledContainers> pools;

	private final ApplicationEventPublisher events;

	private final TransactionTemplate tx;

	private final JdbcClient jdbc;

	private final TenantQuotas quotas;

	private final Clock clock;

	SandboxCreation(Sandboxes sandboxes, PolicyService policies, ContainerLifecycle containers, EngineIdentity engine,
			SandboxEndings endings, SandboxSpecs specs, ContainerExec exec, ObjectProvider<PooledContainers> pools,
			ApplicationEventPublisher events, PlatformTransactionManager transactions, JdbcClient jdbc,
			TenantQuotas quotas, Clock clock) {
		this.sandboxes = sandboxes;
		this.policies = policies;
		this.containers = containers;
		this.engine = engine;
		this.endings = endings;
		this.specs = specs;
		this.exec = exec;
		this.pools = pools;
		this.events = events;
		this.tx = new TransactionTemplate(transactions);
		this.jdbc = jdbc;
		this.quotas = quotas;
		this.clock = clock;
	}

	/** Creates the sandbox under {@code policy} and answers once its container runs. */
	SandboxView create(NewSandbox request, Caller caller, PolicyView policy) {
		return create(request, caller, policy, true);
	}

	/**
	 * @param mayClaim whether a pool's member may answer (false after a claimed member
	 * failed: then the create starts a container of its own)
	 */
	private SandboxView create(NewSandbox request, Caller caller, PolicyView policy, boolean mayClaim) {
		var cpus = request.cpus() != null ? request.cpus() : policy.cpus();
		var memoryMb = request.memoryMb() != null ? request.memoryMb() : policy.memoryMb();
		var ttl = Math.min(request.ttlSeconds() != null ? request.ttlSeconds() : policy.defaultTtlSeconds(),
				policy.maxTtlSeconds());
		policies.admit(policy, new AdmissionRequest(request.image(), cpus, memoryMb, ttl, caller.tenant()));
		var workdir = request.workdir() != null ? checkedWorkdir(request.workdir()) : policy.writablePaths().getFirst();
		var command = request.command() != null ? request.command() : specs.keepAliveCommand();
		// on the row from the start, CREATING included: a replica acts only on the
		// sandboxes of the engine it talks to
		var engineId = engineIfKnown();
		// admitted: no more than the policy's cpus and memory, which is what members have
		var pool = mayClaim && engineId != null && request.command() == null ? pools.getIfAvailable() : null;

		var member = inTransaction(() -> {
			withinQuota(caller.tenant(), policy);
			var claimed = pool == null ? Optional.<PooledContainers.Member>empty()
					: pool.claim(policy.name(), policy.version(), request.image(), engineId);
			var sandbox = new Sandbox(claimed.map(PooledContainers.Member::id).orElseGet(() -> Ids.newId("sbx")),
					caller.tenant(), request.image(), policy.name(), policy.version(), cpus, memoryMb, command, workdir,
					ttl, policy.idleTimeoutSeconds(), request.labels(), caller.actor(), engineId, clock.instant());
			sandboxes.save(claimed.isPresent() ? sandbox.fromPool() : sandbox);
			return claimed.map(m -> new Claimed(sandbox.id(), m)).orElseGet(() -> new Claimed(sandbox.id(), null));
		});
		var id = member.sandboxId();
		if (member.member() != null) {
			log.debug("Sandbox {} for {} is a member of pool {}", id, caller.actor(), member.member().pool());
			try {
				takeOver(id, request, policy, cpus, memoryMb, workdir);
			}
			catch (RuntimeException e) {
				// the member is unusable; the caller still gets a sandbox, of its own
				log.warn("Pool {} member {} failed at its claim, starting a sandbox of its own: {}",
						member.member().pool(), id, e.getMessage());
				markFailed(id, e instanceof AirlockException known ? known
						: new RuntimeError("The pool member could not be taken over.", e), caller);
				endings.removeQuietly(id);
				pool.count(member.member().pool(), false);
				return create(request, caller, policy, false);
			}
			var running = markRunning(id, member.member().containerId(), engineId, caller);
			pool.count(member.member().pool(), true);
			return running;
		}
		log.debug("Creating sandbox {} for {}: {}", id, caller.actor(), request);

		var spec = specs.forSandbox(id, caller.tenant(), policy, request.image(), command, request.env(), workdir, cpus,
				memoryMb);
		String containerId;
		try {
			containerId = containers.start(spec).containerId();
		}
		catch (RuntimeException e) {
			var failure = e instanceof AirlockException known ? known
					: new RuntimeError("The sandbox could not be started.", e);
			try {
				markFailed(id, failure, caller);
			}
			catch (RuntimeException dbFailure) {
				failure.addSuppressed(dbFailure);
				log.error("Sandbox {} failed to start and could not be marked FAILED: {}", id, dbFailure.getMessage());
			}
			throw new SandboxCreateFailed(id, failure);
		}
		return markRunning(id, containerId, engineId != null ? engineId : engineIfKnown(), caller);
	}

	/**
	 * Makes a claimed member this create's sandbox: the limits it asked for (when below
	 * the policy's, which the member has), its env and working folder as the defaults of
	 * every exec (a started container's own cannot change). The defaults are sent even
	 * when there are none: the agent's answer is what says the member still runs (its
	 * container may have gone since the last refill pass looked).
	 */
	private void takeOver(String id, NewSandbox request, PolicyView policy, double cpus, int memoryMb, String workdir) {
		if (cpus != policy.cpus() || memoryMb != policy.memoryMb()) {
			containers.limit(id, cpus, memoryMb * MIB);
		}
		var env = request.env();
		if (policy.network() != NetworkMode.NONE) {
			// the member's container names the egress proxy; as on a cold start, a
			// create's env does not override it
			env = new HashMap<>(env);
			env.keySet().removeAll(ContainerSpec.PROXY_VARIABLES);
		}
		exec.setDefaults(id, env, workdir);
	}

	/** The row a create committed, and the pool member it claimed, if any. */
	private record Claimed(String sandboxId, PooledContainers.@Nullable Member member) {
	}

	/**
	 * The engine's id; {@code null} when the engine cannot be reached now, and then the
	 * start fails (and the row says so) or, if the engine came back meanwhile, the row
	 * gets it when the container runs.
	 */
	private @Nullable String engineIfKnown() {
		try {
			return engine.engineId();
		}
		catch (RuntimeUnavailable e) {
			return null;
		}
	}

	private SandboxView markRunning(String id, String containerId, @Nullable String engineId, Caller caller) {
		SandboxView running;
		try {
			running = inTransaction(() -> {
				var row = sandboxes.findForUpdate(id).orElseThrow();
				if (row.status() != SandboxStatus.CREATING) {
					return null; // ended (deleted, halted) while it was being created
				}
				row.markRunning(containerId, engineId, clock.instant());
				var view = row.toView();
				// in the same transaction: the audit record commits with the change or
				// not at all
				events.publishEvent(new SandboxCreated(id, view.tenant(), view.image(), view.policy(),
						view.policyVersion(), view.source(), caller.actor()));
				return view;
			});
		}
		catch (RuntimeException e) {
			// The database went away after Docker started the container: do not leave it
			// running unseen.
			endings.removeQuietly(id);
			throw e;
		}
		if (running == null) {
			endings.removeQuietly(id);
			throw new SandboxNotRunning(id, inTransaction(() -> sandboxes.findById(id).orElseThrow().status()));
		}
		log.info("Sandbox {} RUNNING (tenant {}, policy {} v{})", id, running.tenant(), running.policy(),
				running.policyVersion());
		return running;
	}

	/**
	 * The tenant's {@code maxSandboxes} over all its live sandboxes, and inside it the
	 * policy's {@code maxSandboxesPerTenant}: both counted under one lock per tenant in
	 * the transaction that inserts the row, so of creates racing for the last slot, under
	 * whichever policies, exactly one gets it.
	 */
	private void withinQuota(String tenant, PolicyView policy) {
		TransactionLocks.lock(jdbc, "quota:" + tenant);
		var live = jdbc.sql("""
				select count(*) as tenant_live, count(*) filter (where policy_name = :policy) as policy_live
				from sandboxes where tenant = :tenant and status in ('CREATING', 'RUNNING', 'STOPPING')""")
			.param("tenant", tenant)
			.param("policy", policy.name())
			.query((row, n) -> new long[] { row.getLong("tenant_live"), row.getLong("policy_live") })
			.single();
		var quota = quotas.of(tenant);
		if (live[0] >= quota.maxSandboxes()) {
			throw QuotaExceeded.ofTenant(tenant, quota.maxSandboxes());
		}
		if (live[1] >= policy.maxSandboxesPerTenant()) {
			throw QuotaExceeded.ofPolicy(tenant, policy.name(), policy.maxSandboxesPerTenant());
		}
	}

	private static String checkedWorkdir(String workdir) {
		var errors = new ValidationFailed.Collector();
		Workdir.check(workdir, errors);
		errors.throwIfAny();
		return workdir;
	}

	private void markFailed(String id, AirlockException failure, Caller caller) {
		var reason = EndReason.startFailure(failure.code());
		inTransaction(() -> {
			var row = sandboxes.findForUpdate(id).orElseThrow();
			if (row.status() == SandboxStatus.CREATING) {
				row.end(SandboxStatus.FAILED, reason, failure.getMessage(), clock.instant());
				events.publishEvent(
						new SandboxStartFailed(id, row.tenant(), reason, failure.getMessage(), caller.actor()));
			}
			return row.tenant();
		});
		log.info("Sandbox {} failed to start: {} {}", id, failure.code(), failure.getMessage());
	}

	private <T> T inTransaction(Supplier<T> work) {
		return tx.execute(status -> work.get());
	}

}
