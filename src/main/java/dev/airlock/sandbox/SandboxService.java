package dev.airlock.sandbox;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.function.Supplier;

import dev.airlock.core.AirlockException;
import dev.airlock.core.Ids;
import dev.airlock.core.ValidationFailed;
import dev.airlock.policy.AdmissionRequest;
import dev.airlock.policy.NetworkMode;
import dev.airlock.policy.PolicyNotFound;
import dev.airlock.policy.PolicyService;
import dev.airlock.policy.PolicyView;
import dev.airlock.runtime.ContainerSpec;
import dev.airlock.runtime.SandboxRuntime;
import dev.airlock.sandbox.SandboxEvents.SandboxCreated;
import dev.airlock.sandbox.SandboxEvents.SandboxDeleted;
import dev.airlock.sandbox.SandboxEvents.SandboxStartFailed;
import dev.airlock.security.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The sandbox lifecycle. Each database step is its own short transaction and no Docker call happens inside one:
 * the row is committed as CREATING before the container exists, then RUNNING or FAILED, so a crash at any point
 * leaves a row that says what may exist.
 */
@Service
public class SandboxService {

	static final String DELETED = "DELETED";
	private static final Logger log = LoggerFactory.getLogger(SandboxService.class);

	private final Sandboxes sandboxes;
	private final PolicyService policies;
	private final SandboxRuntime runtime;
	private final SandboxSettings settings;
	private final ApplicationEventPublisher events;
	private final TransactionTemplate tx;
	private final JdbcClient jdbc;
	private final Clock clock;

	SandboxService(Sandboxes sandboxes, PolicyService policies, SandboxRuntime runtime, SandboxSettings settings,
			ApplicationEventPublisher events, PlatformTransactionManager transactions, JdbcClient jdbc, Clock clock) {
		this.sandboxes = sandboxes;
		this.policies = policies;
		this.runtime = runtime;
		this.settings = settings;
		this.events = events;
		this.tx = new TransactionTemplate(transactions);
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/** Creates a sandbox and answers once its container runs. */
	public SandboxView create(NewSandbox request, Caller caller) {
		var policy = policyFor(request);
		var cpus = request.cpus() != null ? request.cpus() : policy.cpus();
		var memoryMb = request.memoryMb() != null ? request.memoryMb() : policy.memoryMb();
		var ttl = Math.min(request.ttlSeconds() != null ? request.ttlSeconds() : policy.defaultTtlSeconds(),
				policy.maxTtlSeconds());
		policies.admit(policy, new AdmissionRequest(request.image(), cpus, memoryMb, ttl));
		var workdir = request.workdir() != null ? checkedWorkdir(request.workdir()) : policy.writablePaths().getFirst();
		var command = request.command() != null ? request.command() : settings.keepAliveCommand();

		var sandbox = new Sandbox(Ids.newId("sbx"), caller.tenant(), request.image(), policy.name(), policy.version(),
				cpus, memoryMb, command, workdir, ttl, request.labels(), caller.actor(), clock.instant());
		inTransaction(() -> sandboxes.save(sandbox));
		var id = sandbox.id();
		log.debug("Creating sandbox {} for {}: {}", id, caller.actor(), request);

		var spec = new ContainerSpec(id, caller.tenant(), request.image(), command, request.env(), workdir,
				policy.runAsUser(), cpus, memoryMb * 1024L * 1024L, policy.pidsLimit(), policy.readOnlyRootfs(),
				policy.writablePaths(), policy.diskMb(),
				policy.network() == NetworkMode.NONE ? ContainerSpec.Network.NONE : ContainerSpec.Network.BRIDGE,
				policy.runtime());
		String containerId;
		try {
			containerId = runtime.start(spec).containerId();
		}
		catch (RuntimeException e) {
			var failure = e instanceof AirlockException known ? known
					: new dev.airlock.runtime.RuntimeError("The sandbox could not be started.", e);
			try {
				markFailed(id, failure, caller);
			}
			catch (RuntimeException dbFailure) {
				failure.addSuppressed(dbFailure);
				log.error("Sandbox {} failed to start and could not be marked FAILED: {}", id, dbFailure.getMessage());
			}
			throw new SandboxCreateFailed(id, failure);
		}

		SandboxView running;
		try {
			running = inTransaction(() -> {
				var row = sandboxes.findForUpdate(id).orElseThrow();
				if (row.status() != SandboxStatus.CREATING) {
					return null; // deleted while it was being created
				}
				row.markRunning(containerId, clock.instant());
				return row.toView();
			});
		}
		catch (RuntimeException e) {
			// The database went away after Docker started the container: do not leave it running unseen.
			removeQuietly(id);
			throw e;
		}
		if (running == null) {
			removeQuietly(id);
			throw new SandboxNotRunning(id, SandboxStatus.TERMINATED);
		}
		log.info("Sandbox {} RUNNING (tenant {}, policy {} v{})", id, running.tenant(), running.policy(),
				running.policyVersion());
		events.publishEvent(new SandboxCreated(id, running.tenant(), running.image(), running.policy(),
				running.policyVersion(), caller.actor()));
		return running;
	}

	public SandboxView get(String id, Caller caller) {
		return inTransaction(() -> sandboxes.findById(id)
			.filter(sandbox -> caller.canSee(sandbox.tenant()))
			.orElseThrow(() -> new SandboxNotFound(id))
			.toView());
	}

	/**
	 * The start of real activity (an exec, a file call) in a sandbox the caller may see: it must be RUNNING, and
	 * its {@code lastActivityAt}, which the idle timeout reads, moves to now. One statement on the hot path.
	 */
	public ActiveSandbox beginActivity(String id, Caller caller) {
		var active = jdbc.sql("""
				update sandboxes set last_activity_at = :now
				where id = :id and status = 'RUNNING' and (:allTenants or tenant = :tenant)
				returning id, tenant, policy_name, policy_version""")
			.param("now", Timestamp.from(clock.instant()))
			.param("id", id)
			.param("allTenants", caller.seesAllTenants())
			.param("tenant", caller.tenant())
			.query((row, n) -> new ActiveSandbox(row.getString("id"), row.getString("tenant"),
					row.getString("policy_name"), row.getInt("policy_version")))
			.optional();
		if (active.isPresent()) {
			return active.get();
		}
		var sandbox = get(id, caller); // not found, or not RUNNING: say which
		throw new SandboxNotRunning(id, sandbox.status());
	}

	/** Activity goes on (a long exec ended, a transfer finished): {@code lastActivityAt} moves to now. */
	public void recordActivity(String id) {
		jdbc.sql("update sandboxes set last_activity_at = :now where id = :id and status = 'RUNNING'")
			.param("now", Timestamp.from(clock.instant()))
			.param("id", id)
			.update();
	}

	public Page<SandboxView> list(SandboxFilter filter, Pageable pageable, Caller caller) {
		var scoped = caller.seesAllTenants() ? filter
				: new SandboxFilter(caller.tenant(), filter.status(), filter.labels());
		if (!caller.seesAllTenants() && filter.tenant() != null && !filter.tenant().equals(caller.tenant())) {
			return Page.empty(pageable);
		}
		return inTransaction(() -> sandboxes.findAll(scoped.toSpecification(), pageable).map(Sandbox::toView));
	}

	/** Destroys the sandbox; a sandbox that has ended already is left as it is. */
	public void delete(String id, Caller caller) {
		var before = inTransaction(() -> {
			var row = sandboxes.findForUpdate(id)
				.filter(sandbox -> caller.canSee(sandbox.tenant()))
				.orElseThrow(() -> new SandboxNotFound(id));
			var status = row.status();
			if (status == SandboxStatus.CREATING) {
				// The creating request sees this and removes whatever it started.
				row.end(SandboxStatus.TERMINATED, DELETED, "deleted while being created", clock.instant());
			}
			else if (status == SandboxStatus.RUNNING) {
				row.markStopping();
			}
			return new Deleting(status, row.tenant());
		});
		if (before.previous().isTerminal()) {
			return;
		}
		runtime.remove(id);
		var ended = inTransaction(() -> {
			var row = sandboxes.findForUpdate(id).orElseThrow();
			if (row.status() != SandboxStatus.STOPPING) {
				return row.status() == SandboxStatus.TERMINATED && before.previous() == SandboxStatus.CREATING;
			}
			row.end(SandboxStatus.TERMINATED, DELETED, null, clock.instant());
			return true;
		});
		if (ended) {
			log.info("Sandbox {} TERMINATED by {}", id, caller.actor());
			events.publishEvent(new SandboxDeleted(id, before.tenant(), caller.actor()));
		}
	}

	private record Deleting(SandboxStatus previous, String tenant) {
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

	private static String checkedWorkdir(String workdir) {
		var normal = workdir.startsWith("/") && workdir.indexOf('\0') < 0
				&& Path.of(workdir).normalize().toString().equals(workdir);
		if (!normal) {
			throw ValidationFailed.of("workdir", "must be an absolute, normalised path");
		}
		return workdir;
	}

	private void markFailed(String id, AirlockException failure, Caller caller) {
		var tenant = inTransaction(() -> {
			var row = sandboxes.findForUpdate(id).orElseThrow();
			if (row.status() == SandboxStatus.CREATING) {
				row.end(SandboxStatus.FAILED, failure.code().name(), failure.getMessage(), clock.instant());
			}
			return row.tenant();
		});
		log.info("Sandbox {} failed to start: {} {}", id, failure.code(), failure.getMessage());
		events.publishEvent(new SandboxStartFailed(id, tenant, failure.code().name(), failure.getMessage(),
				caller.actor()));
	}

	private void removeQuietly(String id) {
		try {
			runtime.remove(id);
		}
		catch (RuntimeException e) {
			log.warn("Could not remove the container of {}: {}; the reconciler will", id, e.getMessage());
		}
	}

	private <T> T inTransaction(Supplier<T> work) {
		return tx.execute(status -> work.get());
	}
}
