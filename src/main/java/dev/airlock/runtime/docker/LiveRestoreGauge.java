package dev.airlock.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * {@code airlock.runtime.live.restore}: 1 when the engine keeps containers running across
 * its own restarts (dockerd's {@code live-restore}), 0 when a restart of the engine ends
 * every sandbox on it. Read every few seconds: dockerd takes a new setting on SIGHUP.
 * While the engine cannot be reached the value last read stays: it is the setting the
 * engine went down with, the one that decides whether the sandboxes outlive this outage
 * ({@code airlock_runtime_up} tells the outage itself). NaN until the first reading.
 */
@Component
class LiveRestoreGauge {

	private static final Logger log = LoggerFactory.getLogger(LiveRestoreGauge.class);

	private final DockerClient docker;

	private volatile double value = Double.NaN;

	LiveRestoreGauge(DockerClient docker, MeterRegistry meters) {
		this.docker = docker;
		Gauge.builder("airlock.runtime.live.restore", this, gauge -> gauge.value)
			.description("1 when the container engine keeps containers running across its own restarts")
			.register(meters);
	}

	@Scheduled(fixedDelayString = "${airlock.metrics.runtime-ping-interval:10s}", initialDelayString = "0s")
	void refresh() {
		try {
			// docker-java's Info has no field for it: the engine's own JSON
			var enabled = docker.infoCmd().exec().getRawValues().get("LiveRestoreEnabled");
			var now = Boolean.TRUE.equals(enabled) ? 1 : 0;
			if (now == 0 && value != 0) {
				log.warn("The container engine runs without live-restore: a restart of it ends every sandbox");
			}
			value = now;
		}
		catch (RuntimeException e) {
			log.debug("Could not read the engine's live-restore: {}", e.getMessage());
		}
	}

}
