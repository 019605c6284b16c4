package dev.airlock.sandbox;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
import dev.airlock.runtime.RuntimeError;
import dev.airlock.runtime.SandboxRuntime;
import dev.airlock.sandbox.SandboxEvents.SandboxCreated;
import dev.airlock.sandbox.SandboxEvents.SandboxEnded;
import dev.airlock.sandbox.SandboxEvents.SandboxExtended;
import dev.airlock.sandbox.SandboxEvents.SandboxStartFailed;
import dev.airlock.security.Caller;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The sandbox lifecycle. Each database step is its own short transaction and no Docker
 * call happens inside one: the row is committed as CREATING before the container exists,
 * then RUNNING or FAILED; an ending is claimed (RUNNING → STOPPING, with the outcome
 * recorded) before the container is removed, then finished. A crash at any point leaves a
 * row that says what may exist and what was meant to happen, for the reconciler to
 * finish.
 */
@Service
public class SandboxService {

	public static final String DELETED = "DELETED";

	public static final String SYSTEM = "system";

	private static final Duration STATS_WINDOW = Duration.ofMillis(250);

	private static final int MAX_LOG_BYTES = 10 * 1024 * 1024;

	private static final Logger log = LoggerFactory.getLogger(SandboxService.class);

	private final Sandboxes sandboxes;

	private final PolicyService policies;

	private final SandboxRuntime runtime;

	private final SandboxSettings settings;

	private final ObjectProvider<CreateGuard> guards;

	private final ApplicationEventPublisher events;

	private final TransactionTemplate tx;

	private final JdbcClient jdbc;

	private final MeterRegistry meters;

	private final Clock clock;

	SandboxService(Sandboxes sandboxes, PolicyService policies, SandboxRuntime runtime, SandboxSettings settings,
			ObjectProvider<CreateGuard> guards, ApplicationEventPublisher events,
			PlatformTransactionManager transactions, JdbcClient jdbc, MeterRegistry meters, Clock clock) {
		this.sandboxes = sandboxes;
		this.policies = policies;
		this.runtime = runtime;
		this.settings = settings;
		this.guards = guards;
		this.events = events;
		this.tx = new TransactionTemplate(transactions);
		this.jdbc = jdbc;
		this.meters = meters;
		this.clock = clock;
	}

	/** Creates a sandbox and answers once its container runs. */
	public SandboxView create(NewSandbox request, Caller caller) {
		var started = Timer.start(meters);
		guards.orderedStream().forEach(guard -> guard.check(caller.tenant()));
		var policy = policyFor(request);
		try {
			var created = create(request, caller, policy);
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
		meters.counter("airlock.sandboxes.created", "policy", policy, "outcome", outcome).increment();
	}

	private SandboxView create(NewSandbox request, Caller caller, PolicyView policy) {
		var cpus = request.cpus() != null ? request.cpus() : policy.cpus();
		var memoryMb = request.memoryMb() != null ? request.memoryMb() : policy.memoryMb();
		var ttl = Math.min(request.ttlSeconds() != null ? request.ttlSeconds() : policy.defaultTtlSeconds(),
				policy.maxTtlSeconds());
		policies.admit(policy, new AdmissionRequest(request.image(), cpus, memoryMb, ttl));
		var workdir = request.workdir() != null ? checkedWorkdir(request.workdir()) : policy.writablePaths().getFirst();
		var command = request.command() != null ? request.command() : settings.keepAliveCommand();

		var sandbox = new Sandbox(Ids.newId("sbx"), caller.tenant(), request.image(), policy.name(), policy.version(),
				cpus, memoryMb, command, workdir, ttl, policy.idleTimeoutSeconds(), request.labels(), caller.actor(),
				clock.instant());
		inTransaction(() -> {
			withinQuota(caller.tenant(), policy);
			return sandboxes.save(sandbox);
		});
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

		SandboxView running;
		try {
			running = inTransaction(() -> {
				var row = sandboxes.findForUpdate(id).orElseThrow();
				if (row.status() != SandboxStatus.CREATING) {
					return null; // ended (deleted, halted) while it was being created
				}
				row.markRunning(containerId, clock.instant());
				var view = row.toView();
				// in the same transaction: the audit record commits with the change or
				// not at all
				events.publishEvent(new SandboxCreated(id, view.tenant(), view.image(), view.policy(),
						view.policyVersion(), caller.actor()));
				return view;
			});
		}
		catch (RuntimeException e) {
			// The database went away after Docker started the container: do not leave it
			// running unseen.
			removeQuietly(id);
			throw e;
		}
		if (running == null) {
			removeQuietly(id);
			throw new SandboxNotRunning(id, inTransaction(() -> sandboxes.findById(id).orElseThrow().status()));
		}
		log.info("Sandbox {} RUNNING (tenant {}, policy {} v{})", id, running.tenant(), running.policy(),
				running.policyVersion());
		return running;
	}

	public SandboxView get(String id, Caller caller) {
		return inTransaction(() -> sandboxes.findById(id)
			.filter(sandbox -> caller.canSee(sandbox.tenant()))
			.orElseThrow(() -> new SandboxNotFound(id))
			.toView());
	}

	public Page<SandboxView> list(SandboxFilter filter, Pageable pageable, Caller caller) {
		var scoped = caller.seesAllTenants() ? filter
				: new SandboxFilter(caller.tenant(), filter.status(), filter.labels());
		if (!caller.seesAllTenants() && filter.tenant() != null && !filter.tenant().equals(caller.tenant())) {
			return Page.empty(pageable);
		}
		return inTransaction(() -> sandboxes.findAll(scoped.toSpecification(), pageable).map(Sandbox::toView));
	}

	/**
	 * Destroys the sandbox for a client; a sandbox that has ended already is left as it
	 * is.
	 */
	public void delete(String id, Caller caller) {
		get(id, caller); // 404 for what the caller may not see
		end(id, SandboxStatus.TERMINATED, DELETED, null, caller.actor());
	}

	/**
	 * Ends a live sandbox with {@code outcome}: claims it, removes its container, records
	 * the outcome. Of several callers at once (replicas, sweeps, a client), exactly one
	 * wins; the others answer {@code false}.
	 * @return whether this call ended the sandbox
	 */
	public boolean end(String id, SandboxStatus outcome, String reason, @Nullable String detail, String actor) {
		var claimed = inTransaction(() -> {
			var row = sandboxes.findForUpdate(id).orElse(null);
			if (row == null || row.status().isTerminal()) {
				return Claim.NONE;
			}
			if (row.status() == SandboxStatus.CREATING) {
				// The creating request sees this and removes whatever it started.
				row.end(outcome, reason, detail, clock.instant());
				publishEnded(row, actor);
				return Claim.ENDED_WHILE_CREATING;
			}
			if (row.status() == SandboxStatus.STOPPING) {
				return Claim.ALREADY_STOPPING; // someone else is on it; help finish below
			}
			row.markStopping(outcome, reason, detail);
			return Claim.CLAIMED;
		});
		switch (claimed) {
			case NONE -> {
				return false;
			}
			case ENDED_WHILE_CREATING -> {
				removeQuietly(id);
				return true;
			}
			case ALREADY_STOPPING -> {
				finishEnding(id, actor);
				return false;
			}
			default -> {
				return finishEnding(id, actor);
			}
		}
	}

	/**
	 * Removes the container of a STOPPING sandbox and applies its recorded outcome: the
	 * second half of an ending, also run by the reconciler for endings a crash
	 * interrupted.
	 * @return whether this call applied the outcome
	 */
	public boolean finishEnding(String id, String actor) {
		runtime.remove(id);
		return inTransaction(() -> {
			var row = sandboxes.findForUpdate(id).orElseThrow();
			if (row.status() != SandboxStatus.STOPPING) {
				return false;
			}
			row.finishStopping(clock.instant());
			publishEnded(row, actor);
			return true;
		});
	}

	/**
	 * Claims up to {@code limit} RUNNING sandboxes past their lease or their idle
	 * timeout, by the database's clock (a clock jump on this host expires nothing),
	 * skipping rows another replica holds.
	 * @return the claimed ids; finish each with {@link #finishEnding}
	 */
	public List<String> claimExpired(int limit) {
		return jdbc.sql("""
				update sandboxes s set status = 'STOPPING', ending_status = 'EXPIRED',
				       end_reason = case when s.expires_at <= now() then 'TTL_EXPIRED' else 'IDLE_TIMEOUT' end
				where s.id in (
				    select id from sandboxes
				    where status = 'RUNNING'
				      and (expires_at <= now()
				           or last_activity_at + make_interval(secs => idle_timeout_seconds) <= now())
				    order by expires_at
				    limit :limit
				    for update skip locked)
				returning s.id""").param("limit", limit).query(String.class).list();
	}

	/**
	 * Moves the lease to now + {@code ttlSeconds}, capped by the pinned policy's
	 * {@code maxTtlSeconds}.
	 */
	public SandboxView extend(String id, int ttlSeconds, Caller caller) {
		var view = inTransaction(() -> {
			var row = sandboxes.findForUpdate(id)
				.filter(sandbox -> caller.canSee(sandbox.tenant()))
				.orElseThrow(() -> new SandboxNotFound(id));
			if (row.status() != SandboxStatus.RUNNING) {
				throw new SandboxNotRunning(id, row.status());
			}
			var policy = row.toView();
			var maxTtl = policies.version(policy.policy(), policy.policyVersion()).orElseThrow().maxTtlSeconds();
			row.extend(Math.min(ttlSeconds, maxTtl), clock.instant());
			var extended = row.toView();
			events.publishEvent(new SandboxExtended(id, extended.tenant(), extended.expiresAt(), caller.actor()));
			return extended;
		});
		return view;
	}

	/**
	 * Live usage: two samples a moment apart, for a CPU percentage (100 = one core busy).
	 */
	public SandboxStats stats(String id, Caller caller) {
		requireRunningView(id, caller);
		var first = runtime.stats(id);
		try {
			Thread.sleep(STATS_WINDOW);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		var second = runtime.stats(id);
		var wall = Math.max(1, second.sampledAtNanos() - first.sampledAtNanos());
		var cpuPercent = Math.max(0, second.cpuNanos() - first.cpuNanos()) * 100.0 / wall;
		return new SandboxStats(Math.round(cpuPercent * 10) / 10.0, second.memoryBytes(), second.memoryLimitBytes(),
				second.pids(), second.networkRxBytes(), second.networkTxBytes());
	}

	/** The main process's output, the last {@code tail} lines. */
	public String logs(String id, int tail, Caller caller) {
		requireRunningView(id, caller);
		return runtime.logs(id, tail, MAX_LOG_BYTES);
	}

	private void requireRunningView(String id, Caller caller) {
		var view = get(id, caller);
		if (view.status() != SandboxStatus.RUNNING) {
			throw new SandboxNotRunning(id, view.status());
		}
	}

	/**
	 * The sandbox's status now, straight from the database; empty when there is no such
	 * sandbox.
	 */
	public Optional<SandboxStatus> statusNow(String id) {
		return jdbc.sql("select status from sandboxes where id = :id")
			.param("id", id)
			.query((row, n) -> SandboxStatus.valueOf(row.getString("status")))
			.optional();
	}

	/** Every sandbox that is not terminal. */
	public List<LiveSandbox> live() {
		return jdbc.sql("""
				select id, tenant, status, policy_name, policy_version, created_at from sandboxes
				where status in ('CREATING', 'RUNNING', 'STOPPING')""")
			.query((row, n) -> new LiveSandbox(row.getString("id"), row.getString("tenant"),
					SandboxStatus.valueOf(row.getString("status")), row.getString("policy_name"),
					row.getInt("policy_version"), row.getTimestamp("created_at").toInstant()))
			.list();
	}

	/**
	 * Ids of RUNNING sandboxes of {@code tenant}, or of every tenant when it is
	 * {@code null}.
	 */
	public List<String> running(@Nullable String tenant) {
		return jdbc.sql(
				"select id from sandboxes where status = 'RUNNING' and (cast(:tenant as varchar) is null or tenant = :tenant)")
			.param("tenant", tenant)
			.query(String.class)
			.list();
	}

	/**
	 * A CREATING row older than {@code age} whose creator died: FAILED, and whatever it
	 * started is removed.
	 */
	public boolean failStuckCreate(String id, Duration age) {
		var failed = inTransaction(() -> {
			var row = sandboxes.findForUpdate(id).orElse(null);
			if (row == null || row.status() != SandboxStatus.CREATING
					|| row.toView().createdAt().isAfter(clock.instant().minus(age))) {
				return false;
			}
			row.end(SandboxStatus.FAILED, "CREATE_INTERRUPTED", "The service stopped while creating it.",
					clock.instant());
			publishEnded(row, SYSTEM);
			return true;
		});
		if (failed) {
			runtime.remove(id);
		}
		return failed;
	}

	/**
	 * The start of real activity (an exec, a file call) in a sandbox the caller may see:
	 * it must be RUNNING, and its {@code lastActivityAt}, which the idle timeout reads,
	 * moves to now. One statement on the hot path.
	 */
	public ActiveSandbox beginActivity(String id, Caller caller) {
		var row = jdbc.sql("""
				update sandboxes set last_activity_at = :now
				where id = :id and status = 'RUNNING' and (:allTenants or tenant = :tenant)
				returning id, tenant, policy_name, policy_version""")
			.param("now", Timestamp.from(clock.instant()))
			.param("id", id)
			.param("allTenants", caller.seesAllTenants())
			.param("tenant", caller.tenant())
			.query((rs, n) -> new Touched(rs.getString("id"), rs.getString("tenant"), rs.getString("policy_name"),
					rs.getInt("policy_version")))
			.optional();
		if (row.isPresent()) {
			var touched = row.get();
			var policy = policies.version(touched.policy(), touched.policyVersion())
				.orElseThrow(() -> new IllegalStateException("pinned policy version is missing"));
			return new ActiveSandbox(touched.id(), touched.tenant(), policy);
		}
		var sandbox = get(id, caller); // not found, or not RUNNING: say which
		throw new SandboxNotRunning(id, sandbox.status());
	}

	private record Touched(String id, String tenant, String policy, int policyVersion) {
	}

	/**
	 * Activity goes on (a long exec, a transfer): {@code lastActivityAt} moves to now.
	 */
	public void recordActivity(String id) {
		jdbc.sql("update sandboxes set last_activity_at = :now where id = :id and status = 'RUNNING'")
			.param("now", Timestamp.from(clock.instant()))
			.param("id", id)
			.update();
	}

	/** Inside the transaction that ended the row: the audit record commits with it. */
	private void publishEnded(Sandbox row, String actor) {
		var view = row.toView();
		meters.counter("airlock.sandboxes.ended", "status", view.status().name(), "reason", view.endReason())
			.increment();
		if (view.status() == SandboxStatus.KILLED) {
			meters.counter("airlock.enforcement.kills", "reason", view.endReason()).increment();
		}
		log.info("Sandbox {} {} ({}) by {}", view.id(), view.status(), view.endReason(), actor);
		events.publishEvent(
				new SandboxEnded(view.id(), view.tenant(), view.status(), view.endReason(), view.endDetail(), actor));
	}

	private enum Claim {

		NONE, CLAIMED, ALREADY_STOPPING, ENDED_WHILE_CREATING

	}

	/**
	 * The policy's {@code maxSandboxesPerTenant}, checked under a lock on (tenant,
	 * policy) in the transaction that inserts the row: of two creates racing for the last
	 * slot, exactly one gets it.
	 */
	private void withinQuota(String tenant, PolicyView policy) {
		jdbc.sql("select cast(pg_advisory_xact_lock(hashtext('quota:' || :tenant || ':' || :policy)) as text)")
			.param("tenant", tenant)
			.param("policy", policy.name())
			.query(String.class)
			.single();
		var live = jdbc.sql("""
				select count(*) from sandboxes
				where tenant = :tenant and policy_name = :policy and status in ('CREATING', 'RUNNING', 'STOPPING')""")
			.param("tenant", tenant)
			.param("policy", policy.name())
			.query(Long.class)
			.single();
		if (live >= policy.maxSandboxesPerTenant()) {
			throw new QuotaExceeded(tenant, policy.name(), policy.maxSandboxesPerTenant());
		}
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
		inTransaction(() -> {
			var row = sandboxes.findForUpdate(id).orElseThrow();
			if (row.status() == SandboxStatus.CREATING) {
				row.end(SandboxStatus.FAILED, failure.code().name(), failure.getMessage(), clock.instant());
				events.publishEvent(new SandboxStartFailed(id, row.tenant(), failure.code().name(),
						failure.getMessage(), caller.actor()));
			}
			return row.tenant();
		});
		log.info("Sandbox {} failed to start: {} {}", id, failure.code(), failure.getMessage());
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
