package dev.airlock.pool;

import java.time.Duration;

import dev.airlock.enforcement.OnePerEngine;
import dev.airlock.runtime.RuntimeUnavailable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Refill passes every {@code airlock.pools.refill-interval}, one replica per engine at a
 * time; every replica keeps its pool gauges current.
 */
@Configuration(proxyBeanMethods = false)
class PoolConfiguration implements SchedulingConfigurer {

	private static final Logger log = LoggerFactory.getLogger(PoolConfiguration.class);

	/**
	 * How long passes may follow each other with no pause (the lock is held meanwhile).
	 */
	private static final Duration BUSY_PASSES = Duration.ofSeconds(30);

	private final PoolSettings settings;

	private final ObjectProvider<PoolRefill> refill;

	private final ObjectProvider<PoolGauges> gauges;

	private final ObjectProvider<OnePerEngine> onePerEngine;

	PoolConfiguration(PoolSettings settings, ObjectProvider<PoolRefill> refill, ObjectProvider<PoolGauges> gauges,
			ObjectProvider<OnePerEngine> onePerEngine) {
		this.settings = settings;
		this.refill = refill;
		this.gauges = gauges;
		this.onePerEngine = onePerEngine;
	}

	@Override
	public void configureTasks(ScheduledTaskRegistrar registrar) {
		registrar.addFixedDelayTask(new FixedDelayTask(this::pass, settings.refillInterval(), Duration.ofSeconds(1)));
	}

	private void pass() {
		try {
			onePerEngine.getObject().run("pool-refill", Duration.ofMinutes(5), () -> {
				// a pass that started members goes on at once while members are missing:
				// the interval is for when there is nothing to do
				var until = System.nanoTime() + BUSY_PASSES.toNanos();
				PoolRefill.Pass pass;
				do {
					pass = refill.getObject().run();
					if (!pass.isQuiet()) {
						log.debug("Pool refill: {}", pass);
					}
				}
				while (pass.started() > 0 && System.nanoTime() < until);
			});
		}
		catch (RuntimeUnavailable e) {
			log.debug("Pool refill skipped: {}", e.getMessage());
		}
		catch (RuntimeException e) {
			log.warn("Pool refill failed: {}", e.getMessage());
		}
		try {
			gauges.getObject().refresh();
		}
		catch (RuntimeException e) {
			log.debug("Pool gauges not refreshed: {}", e.getMessage());
		}
	}

}
