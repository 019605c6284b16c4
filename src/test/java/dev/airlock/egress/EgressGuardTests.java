package dev.airlock.egress;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;

import dev.airlock.IntegrationTestSupport;
import dev.airlock.egress.Verdict.Denied;
import dev.airlock.policy.EgressRule;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guard as the running service builds it: it knows the port the server actually bound
 * (a random one here, {@code server.port=0}) and the database the data source actually
 * connects to.
 */
class EgressGuardTests extends IntegrationTestSupport {

	@Autowired
	EgressGuard guard;

	@Autowired
	Environment environment;

	@Test
	void theServersBoundPortIsAirlocksOwn() {
		var port = environment.getRequiredProperty("local.server.port", Integer.class);
		var loopback = List.of(EgressRule.parse("127.0.0.0/8:" + port), EgressRule.parse("127.0.0.0/8:" + (port + 1)));

		assertThat(guard.check(loopback, "127.0.0.1", port)).isEqualTo(new Denied(Denied.OWN_PORT));
		assertThat(guard.check(loopback, "127.0.0.1", port + 1)).as("loopback, but not Airlock's port")
			.isEqualTo(new Denied(Denied.REFUSED_ADDRESS));
	}

	@Test
	void theDatabaseTheServiceUsesIsAirlocksOwn() throws Exception {
		var url = URI.create(database.getJdbcUrl().substring("jdbc:".length()));
		var address = InetAddress.getByName(url.getHost()).getHostAddress();
		var port = url.getPort() > 0 ? url.getPort() : 5432;
		var range = address.contains(":") ? "[" + address + "/128]:" + port : address + "/32:" + port;

		assertThat(guard.check(List.of(EgressRule.parse(range)), address, port)).isEqualTo(new Denied(Denied.OWN_PORT));
	}

}
