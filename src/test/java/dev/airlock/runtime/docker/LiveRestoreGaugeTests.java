package dev.airlock.runtime.docker;

import dev.airlock.Dockerd;
import dev.airlock.IntegrationTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code airlock_runtime_live_restore} follows dockerd's setting, which dockerd takes on
 * SIGHUP.
 */
class LiveRestoreGaugeTests extends IntegrationTestSupport {

	@Autowired
	LiveRestoreGauge gauge;

	@Test
	void theGaugeSaysWhetherTheEngineKeepsContainersAcrossItsRestarts() throws Exception {
		var dockerd = new Dockerd(docker.client());
		try {
			dockerd.liveRestore(true);
			gauge.refresh();
			assertThat(scrape()).contains("airlock_runtime_live_restore 1.0");

			dockerd.liveRestore(false);
			gauge.refresh();
			assertThat(scrape()).contains("airlock_runtime_live_restore 0.0");
		}
		finally {
			dockerd.restore();
		}
	}

	private String scrape() {
		var response = api.get("/actuator/prometheus");
		assertThat(response.status()).isEqualTo(200);
		return response.body();
	}

}
