package dev.airlock.enforcement;

import java.time.Clock;
import java.time.Duration;

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
 * ShedLock (on the database's clock) so that one replica at a time samples and
 * reconciles. Expiry runs on every replica: its claims skip rows another replica holds.
 */
@Configuration(proxyBeanMethods = false)
class EnforcementConfiguration implements SchedulingConfigurer {

	private static final Duration FIRST_SWEEP = Duration.ofSeconds(1);

	private final EnforcementSettings settings;

	private final ObjectProvider<Expiry> expiry;

	private final ObjectProvider<Watchdog> watchdog;

	private final ObjectProvider<Reconciler> reconciler;

	private final ObjectProvider<LockProvider> locks;

	private final Clock clock;

	EnforcementConfiguration(EnforcementSettings settings, ObjectProvider<Expiry> expiry,
			ObjectProvider<Watchdog> watchdog, ObjectProvider<Reconciler> reconciler,
			ObjectProvider<LockProvider> locks, Clock clock) {
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
		new DefaultLockingTaskExecutor(locks.getObject()).executeWithLock(task,
				new LockConfiguration(clock.instant(), name, atMostFor, Duration.ZERO));
	}

}
