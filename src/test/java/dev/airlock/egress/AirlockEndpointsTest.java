package dev.airlock.egress;

import java.net.InetAddress;
import java.time.Duration;

import dev.airlock.egress.AirlockEndpoints.HostPort;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/** Where Airlock and what it depends on listen, from its own configuration. */
class AirlockEndpointsTest {

	@Test
	void aJdbcUrlNamesEveryHostWithItsPort() {
		assertThat(AirlockEndpoints.databaseHosts("jdbc:postgresql://db:6543,[::1]:5433,other/airlock?ssl=true"))
			.containsExactly(new HostPort("db", 6543), new HostPort("[::1]", 5433), new HostPort("other", 5432));
		assertThat(AirlockEndpoints.databaseHosts("jdbc:postgresql://DB.internal?user=x"))
			.containsExactly(new HostPort("db.internal", 5432));
		assertThat(AirlockEndpoints.databaseHosts("jdbc:postgresql:airlock"))
			.containsExactly(new HostPort("localhost", 5432));
	}

	@Test
	void theBoundPortsCountAsWellAsTheConfiguredOnes() {
		var environment = new MockEnvironment().withProperty("server.port", "0")
			.withProperty("local.server.port", "41234")
			.withProperty("management.server.port", "9090")
			.withProperty("local.management.port", "9090");
		var endpoints = new AirlockEndpoints(environment, () -> "", (name, timeout) -> {
			throw new IllegalStateException("no lookup expected");
		}, Duration.ofSeconds(1));

		assertThat(endpoints.ports()).contains(41234, 9090).doesNotContain(8080);
	}

	@Test
	void theSystemResolverAnswersLocalhost() throws Exception {
		assertThat(new SystemResolver().resolve("localhost", Duration.ofSeconds(30)))
			.allMatch(InetAddress::isLoopbackAddress)
			.isNotEmpty();
	}

	@Test
	void theInterfaceAddressesOfThisJvmIncludeLoopback() throws Exception {
		assertThat(new LocalAddresses().get()).contains(InetAddress.getByName("127.0.0.1"));
	}

}
