package dev.airlock.enforcement;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

import dev.airlock.core.Sha256;
import dev.airlock.runtime.EngineIdentity;
import dev.airlock.runtime.RuntimeUnavailable;
import net.javacrumbs.shedlock.core.DefaultLockingTaskExecutor;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * The enforcement sweeps, scheduled at the intervals of {@link EnforcementSettings}, with
 * ShedLock (on the database's clock) so that one replica per engine at a time samples and
 * reconciles (each acts only on its engine's sandboxes, so a lock shared by replicas on
 * different engines would leave some engines unwatched). Expiry runs on every replica:
 * its claims skip rows another replica holds.
 */
@Configuration(proxyBeanMethods = false)
class EnforcementConfiguration implements SchedulingConfigurer {

	private static final Duration FIRST_SWEEP = Duration.ofSeconds(1);

	private final EnforcementSettings settings;

	private final ObjectProvider<Expiry> expiry;

	private final ObjectProvider<Watchdog> watchdog;

	private final ObjectProvider<Reconciler> reconciler;

	private final ObjectProvider<LockProvider> locks;

	private final ObjectProvider<EngineIdentity> engine;

	private final Clock clock;

	EnforcementConfiguration(EnforcementSettings settings, ObjectProvider<Expiry> expiry,
			ObjectProvider<Watchdog> watchdog, ObjectProvider<Reconciler> reconciler,
			ObjectProvider<LockProvider> locks, ObjectProvider<EngineIdentity> engine, Clock clock) {
		this.engine = engine;
		this.settings = settings;
		this.expiry = expiry;
		this.watchdog = watchdog;
		this.reconciler = reconciler;
		this.locks = locks;
		this.clock = clock;
	}

	@Override
	public void configureTasks(ScheduledTaskRegistrar registrar) {
		registrar.addFixedDelayTask(
				new FixedDelayTask(() -> expiry.getObject().sweep(), settings.expiryInterval(), FIRST_SWEEP));
		registrar.addFixedDelayTask(new FixedDelayTask(
				() -> onOneReplica("watchdog", Duration.ofSeconds(30), () -> watchdog.getObject().sample()),
				settings.watchdogInterval(), FIRST_SWEEP));
		registrar.addFixedDelayTask(new FixedDelayTask(
				() -> onOneReplica("reconciler", Duration.ofMinutes(5), () -> reconciler.getObject().periodically()),
				settings.reconcileInterval(), settings.reconcileInterval()));
	}

	private void onOneReplica(String name, Duration atMostFor, Runnable task) {
		String engineId;
		try {
			engineId = engine.getObject().engineId();
		}
		catch (RuntimeUnavailable e) {
			task.run(); // decides nothing without the engine; its log says so
			return;
		}
		// the lock table's names are short; the engine's id need not be
		var lockName = name + "@" + Sha256.hex(Sha256.of(engineId.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
		new DefaultLockingTaskExecutor(locks.getObject()).executeWithLock(task,
				new LockConfiguration(clock.instant(), lockName, atMostFor, Duration.ZERO));
	}

}
