package dev.airlock.enforcement;

import java.time.Duration;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * The enforcement sweeps, scheduled at the intervals of {@link EnforcementSettings}; one
 * replica per engine at a time samples and reconciles ({@link OnePerEngine}). Expiry runs
 * on every replica: its claims skip rows another replica holds.
 */
@Configuration(proxyBeanMethods = false)
class EnforcementConfiguration implements SchedulingConfigurer {

	private static final Duration FIRST_SWEEP = Duration.ofSeconds(1);

	private final EnforcementSettings settings;

	private final ObjectProvider<Expiry> expiry;

	private final ObjectProvider<Watchdog> watchdog;

	private final ObjectProvider<Reconciler> reconciler;

	private final ObjectProvider<OnePerEngine> onePerEngine;

	EnforcementConfiguration(EnforcementSettings settings, ObjectProvider<Expiry> expiry,
			ObjectProvider<Watchdog> watchdog, ObjectProvider<Reconciler> reconciler,
			ObjectProvider<OnePerEngine> onePerEngine) {
		this.settings = settings;
		this.expiry = expiry;
		this.watchdog = watchdog;
		this.reconciler = reconciler;
		this.onePerEngine = onePerEngine;
	}

	@Override
	public void configureTasks(ScheduledTaskRegistrar registrar) {
		registrar.addFixedDelayTask(
				new FixedDelayTask(() -> expiry.getObject().sweep(), settings.expiryInterval(), FIRST_SWEEP));
		registrar.addFixedDelayTask(new FixedDelayTask(
				() -> onePerEngine.getObject()
					.run("watchdog", Duration.ofSeconds(30), () -> watchdog.getObject().sample()),
				settings.watchdogInterval(), FIRST_SWEEP));
		registrar.addFixedDelayTask(new FixedDelayTask(
				() -> onePerEngine.getObject()
					.run("reconciler", Duration.ofMinutes(5), () -> reconciler.getObject().periodically()),
				settings.reconcileInterval(), settings.reconcileInterval()));
	}

}
