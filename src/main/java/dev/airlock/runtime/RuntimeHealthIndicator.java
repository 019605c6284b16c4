package dev.airlock.runtime;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * Readiness: the container engine answers. Shown as {@code runtime} in
 * {@code /actuator/health}.
 */
@Component("runtime")
class RuntimeHealthIndicator extends AbstractHealthIndicator {

	private final ContainerLifecycle runtime;

	RuntimeHealthIndicator(ContainerLifecycle runtime) {
		super("The container runtime is unavailable");
		this.runtime = runtime;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		try {
			builder.up().withDetail("version", runtime.ping());
		}
		catch (RuntimeUnavailable e) {
			builder.down().withDetail("error", e.getMessage());
		}
	}

}
