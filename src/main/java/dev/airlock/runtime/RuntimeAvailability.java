package dev.airlock.runtime;

import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * {@code airlock.runtime.up}: 1 while the container engine answers, 0 while it does not;
 * pinged every few seconds.
 */
@Component
class RuntimeAvailability {

	private final ContainerLifecycle runtime;

	private final AtomicInteger up = new AtomicInteger(1);

	RuntimeAvailability(ContainerLifecycle runtime, MeterRegistry meters) {
		this.runtime = runtime;
		Gauge.builder("airlock.runtime.up", up, AtomicInteger::get)
			.description("1 when the container engine answers Airlock's ping")
			.register(meters);
	}

	@Scheduled(fixedDelayString = "${airlock.metrics.runtime-ping-interval:10s}", initialDelayString = "0s")
	void ping() {
		try {
			runtime.ping();
			up.set(1);
		}
		catch (RuntimeException e) {
			up.set(0);
		}
	}

}
