package dev.airlock.egress;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** {@code airlock.egress.*} as configuration binds it. */
class EgressSettingsTest {

	static EgressSettings bind(Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("airlock.egress",
				EgressSettings.class);
	}

	@Test
	void everySettingHasADefault() {
		var settings = bind(Map.of());

		assertThat(settings.proxyPort()).isEqualTo(3128);
		assertThat(settings.hosts()).isEmpty();
		assertThat(settings.refusedCidrs()).isEmpty();
		assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
		assertThat(settings.resolveTimeout()).isEqualTo(Duration.ofSeconds(5));
		assertThat(settings.maxConnectionsPerSandbox()).isEqualTo(32);
		assertThat(settings.idleTimeout()).isEqualTo(Duration.ofMinutes(10));
	}

	@Test
	void hostsKeepTheDotsOfTheirNamesAndRangesAreRead() {
		var settings = bind(
				Map.of("airlock.egress.hosts.allowed.test", "172.17.0.5", "airlock.egress.hosts[Other.Test]", "::1",
						"airlock.egress.refused-cidrs", "192.0.2.0/24,2001:db8::/32"));

		assertThat(settings.hosts()).containsOnly(Map.entry("allowed.test", "172.17.0.5"),
				Map.entry("other.test", "::1"));
		assertThat(settings.refusedRanges()).extracting(Object::toString)
			.containsExactly("192.0.2.0/24", "2001:db8::/32");
	}

	@Test
	void aBadValueStopsTheStartWithTheSettingsName() {
		for (var bad : List.of(Map.of("airlock.egress.hosts.allowed.test", "allowed.example"),
				Map.of("airlock.egress.hosts.allowed.test", "2130706433"),
				Map.of("airlock.egress.hosts[bad_name]", "8.8.8.8"), Map.of("airlock.egress.refused-cidrs", "pypi.org"),
				Map.of("airlock.egress.refused-cidrs", "10.0.0.0/8:443"), Map.of("airlock.egress.proxy-port", "0"),
				Map.of("airlock.egress.max-connections-per-sandbox", "0"),
				// a sandbox's agent session serves 56 calls: tunnels must leave room for
				// execs and transfers
				Map.of("airlock.egress.max-connections-per-sandbox", "49"),
				Map.of("airlock.egress.resolve-timeout", "0s"))) {
			assertThatExceptionOfType(BindException.class).as(bad.toString())
				.isThrownBy(() -> bind(bad))
				.havingRootCause()
				.withMessageContaining("airlock.egress.");
		}
	}

}
