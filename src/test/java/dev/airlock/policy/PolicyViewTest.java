package dev.airlock.policy;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What other modules read of a policy version. */
class PolicyViewTest {

	static PolicyView view(NetworkMode network, List<String> allowlist) {
		var d = PolicyRulesTest.egress(network, allowlist);
		return new Policy("p", 1, d, Instant.EPOCH, "test").toView();
	}

	@Test
	void theEffectiveEgressRulesFollowTheNetworkMode() {
		assertThat(view(NetworkMode.NONE, List.of()).egressRules()).isEmpty();
		assertThat(view(NetworkMode.EGRESS, List.of()).egressRules()).isEmpty();
		assertThat(view(NetworkMode.BRIDGE, List.of()).egressRules()).containsExactly(EgressRule.parse("*"));
		assertThat(view(NetworkMode.EGRESS, List.of("pypi.org", "10.0.0.0/8")).egressRules())
			.containsExactly(EgressRule.parse("pypi.org"), EgressRule.parse("10.0.0.0/8"));
	}

	@Test
	void theAllowlistIsStoredCanonicallyOncePerRule() {
		var view = view(NetworkMode.EGRESS,
				List.of("PyPI.org.", "pypi.org", "*.Example.COM:443", "10.1.2.3/8", "[2001:DB8:0::/32]:8443"));

		assertThat(view.egressAllowlist()).containsExactly("pypi.org", "*.example.com:443", "10.0.0.0/8",
				"[2001:db8::/32]:8443");
		assertThat(view.network()).isEqualTo(NetworkMode.EGRESS);
	}

}
