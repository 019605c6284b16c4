package dev.airlock.egress;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import dev.airlock.egress.Verdict.Allowed;
import dev.airlock.egress.Verdict.Denied;
import dev.airlock.policy.EgressRule;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

import static dev.airlock.egress.AddressRangesTest.ip;
import static org.assertj.core.api.Assertions.assertThat;

/** The decision on each destination a sandbox asks for, attacked as a sandbox would. */
class EgressGuardTest {

	/** This JVM's own (public) interface address in these tests. */
	static final InetAddress OWN = ip("93.184.216.34");

	final Map<String, List<InetAddress>> dns = new HashMap<>();

	final List<String> asked = new ArrayList<>();

	final MockEnvironment environment = new MockEnvironment().withProperty("local.server.port", "18080")
		.withProperty("server.port", "0")
		.withProperty("local.management.port", "18081")
		.withProperty("spring.datasource.url", "jdbc:postgresql://10.9.9.9:6543/airlock")
		.withProperty("airlock.runtime.docker.host", "unix:///var/run/docker.sock");

	final Resolver resolver = (name, timeout) -> {
		asked.add(name);
		if (name.equals("slow.test")) {
			throw new TimeoutException();
		}
		var answer = dns.get(name);
		if (answer == null) {
			throw new UnknownHostException(name);
		}
		return answer;
	};

	EgressGuard guard(EgressSettings settings) {
		return new EgressGuard(settings, resolver, environment,
				() -> environment.getProperty("spring.datasource.url", ""), () -> Set.of(OWN));
	}

	EgressGuard guard() {
		return guard(settings(Map.of(), List.of()));
	}

	static EgressSettings settings(Map<String, String> hosts, List<String> refused) {
		return new EgressSettings(3128, hosts, refused, Duration.ofSeconds(10), Duration.ofSeconds(5), 32,
				Duration.ofMinutes(10));
	}

	static List<EgressRule> rules(String... entries) {
		return Arrays.stream(entries).map(EgressRule::parse).toList();
	}

	static Verdict denied(String reason) {
		return new Denied(reason);
	}

	void answer(String name, String... addresses) {
		dns.put(name, Arrays.stream(addresses).map(AddressRangesTest::ip).toList());
	}

	@Test
	void anAllowedNameIsResolvedByAirlockAndEveryAddressIsGiven() {
		answer("pypi.org", "151.101.0.223", "2a04:4e42::223");

		assertThat(guard().check(rules("pypi.org"), "pypi.org", 443))
			.isEqualTo(new Allowed(List.of(ip("151.101.0.223"), ip("2a04:4e42::223"))));
		assertThat(guard().check(rules("pypi.org"), "PyPI.ORG.", 80)).isInstanceOf(Allowed.class);
		assertThat(asked).containsOnly("pypi.org");
	}

	@Test
	void aNameOutsideTheListIsRefusedBeforeAnyLookup() {
		answer("evil.com", "8.8.8.8");
		var guard = guard();

		assertThat(guard.check(rules("pypi.org"), "evil.com", 443)).isEqualTo(denied(Denied.NOT_ALLOWED));
		assertThat(guard.check(rules("pypi.org"), "pypi.org", 22)).isEqualTo(denied(Denied.NOT_ALLOWED));
		assertThat(guard.check(rules("*.example.com"), "evil-example.com", 443)).isEqualTo(denied(Denied.NOT_ALLOWED));
		assertThat(guard.check(rules("*.example.com"), "example.com.evil.org", 443))
			.isEqualTo(denied(Denied.NOT_ALLOWED));
		assertThat(guard.check(List.of(), "pypi.org", 443)).isEqualTo(denied(Denied.NOT_ALLOWED));
		assertThat(guard.check(rules("*"), "pypi.org", 0)).isEqualTo(denied(Denied.NOT_ALLOWED));
		assertThat(guard.check(rules("*"), "pypi.org", 65536)).isEqualTo(denied(Denied.NOT_ALLOWED));
		assertThat(asked).as("no DNS query leaks what was asked").isEmpty();
	}

	@Test
	void aNameResolvingToAPrivateLoopbackOrLinkLocalAddressIsRefused() {
		answer("internal.example.com", "10.0.0.5");
		answer("metadata.example.com", "169.254.169.254");
		answer("loop.example.com", "127.0.0.1");
		answer("loop6.example.com", "::1");
		answer("ula.example.com", "fd00::1");
		answer("nat64.example.com", "64:ff9b::a9fe:a9fe");
		var guard = guard();

		for (var name : List.of("internal", "metadata", "loop", "loop6", "ula", "nat64")) {
			assertThat(guard.check(rules("*"), name + ".example.com", 443)).as(name)
				.isEqualTo(denied(Denied.RESOLVES_TO_REFUSED));
		}
	}

	@Test
	void everyAddressOfANameMustBeAllowedSoRebindingCannotSlipOneIn() {
		answer("rebind.example.com", "8.8.8.8", "10.0.0.5");

		assertThat(guard().check(rules("*"), "rebind.example.com", 443)).isEqualTo(denied(Denied.RESOLVES_TO_REFUSED));
	}

	@Test
	void anAdminMayNameAPrivateRangeButNotByNamingEverything() {
		answer("git.corp.example", "10.0.0.5");
		var guard = guard();

		assertThat(guard.check(rules("git.corp.example", "10.0.0.0/8"), "git.corp.example", 443))
			.isEqualTo(new Allowed(List.of(ip("10.0.0.5"))));
		assertThat(guard.check(rules("git.corp.example", "0.0.0.0/0"), "git.corp.example", 443))
			.isEqualTo(denied(Denied.RESOLVES_TO_REFUSED));
		assertThat(guard.check(rules("git.corp.example", "10.0.0.0/7"), "git.corp.example", 443))
			.as("a range reaching into public space")
			.isEqualTo(denied(Denied.RESOLVES_TO_REFUSED));
		assertThat(guard.check(rules("*", "169.254.169.254"), "169.254.169.254", 80))
			.isEqualTo(new Allowed(List.of(ip("169.254.169.254"))));
		assertThat(guard.check(rules("*"), "169.254.169.254", 80)).isEqualTo(denied(Denied.NOT_ALLOWED));
	}

	@Test
	void anIpAddressNeedsARangeOrAnyForAPublicOne() {
		var guard = guard();

		assertThat(guard.check(rules("pypi.org"), "151.101.0.223", 443)).isEqualTo(denied(Denied.NOT_ALLOWED));
		assertThat(guard.check(rules("*"), "151.101.0.223", 443)).isInstanceOf(Allowed.class);
		assertThat(guard.check(rules("*"), "[2a04:4e42::223]", 443)).isInstanceOf(Allowed.class);
		assertThat(guard.check(rules("151.101.0.0/16:8443"), "151.101.0.223", 8443)).isInstanceOf(Allowed.class);
		assertThat(guard.check(rules("151.101.0.0/16:8443"), "151.101.0.223", 443))
			.isEqualTo(denied(Denied.NOT_ALLOWED));
		assertThat(guard.check(rules("*"), "10.0.0.5", 443)).isEqualTo(denied(Denied.NOT_ALLOWED));
		assertThat(asked).isEmpty();
	}

	@Test
	void otherSpellingsOfAnAddressAreNotNamesAndNeverResolved() {
		var guard = guard();
		for (var spelling : List.of("2130706433", "0x7f.1", "017700000001", "127.1", "0x7f000001", "0177.0.0.1",
				"127.0.0.01", "[fe80::1%eth0]", "[fe80::1%25eth0]", "fe80::1%1", "a_b.example.com", "pypi..org",
				"-pypi.org", "pypi.org\u0000", "pypi.org\r\nHost: evil", "p\u00fcpi.org", "a".repeat(300) + ".org", "",
				".")) {
			assertThat(guard.check(rules("*", "0.0.0.0/0"), spelling, 443)).as(spelling)
				.isEqualTo(denied(Denied.MALFORMED_HOST));
		}
		assertThat(asked).isEmpty();
	}

	@Test
	void loopbackInEveryCanonicalSpellingIsRefused() {
		var guard = guard();
		var naming = rules("*", "127.0.0.0/8", "::1", "::/96");

		for (var spelling : List.of("127.0.0.1", "127.1.2.3", "[::1]", "::1", "[::ffff:127.0.0.1]",
				"[0:0:0:0:0:ffff:7f00:1]", "[::127.0.0.1]", "0.0.0.0", "[::]")) {
			assertThat(guard.check(naming, spelling, 8000)).as(spelling).isInstanceOf(Denied.class);
			assertThat(guard.check(rules("*:8000"), spelling, 8000)).as(spelling).isInstanceOf(Denied.class);
		}
		assertThat(guard.check(naming, "127.0.0.1", 443)).isEqualTo(denied(Denied.REFUSED_ADDRESS));
	}

	@Test
	void thisHostsOwnAddressesAreRefusedEvenWhenNamed() {
		answer("me.example.com", OWN.getHostAddress());
		var guard = guard();

		assertThat(guard.check(rules("*", "93.184.216.0/24"), "93.184.216.34", 443))
			.isEqualTo(denied(Denied.REFUSED_ADDRESS));
		assertThat(guard.check(rules("*"), "me.example.com", 443)).isEqualTo(denied(Denied.RESOLVES_TO_REFUSED));
	}

	@Test
	void airlocksOwnPortsAreRefusedOnEveryLocalOrSpecialAddress() {
		answer("git.corp.example", "10.0.0.5");
		var guard = guard();
		var corp = rules("git.corp.example:18080", "git.corp.example:18081", "git.corp.example", "10.0.0.0/8:18080",
				"127.0.0.0/8:18080");

		assertThat(guard.check(corp, "git.corp.example", 18080)).isEqualTo(denied(Denied.OWN_PORT));
		assertThat(guard.check(corp, "git.corp.example", 18081)).isEqualTo(denied(Denied.OWN_PORT));
		assertThat(guard.check(corp, "10.0.0.5", 18080)).isEqualTo(denied(Denied.OWN_PORT));
		assertThat(guard.check(corp, "127.0.0.1", 18080)).isEqualTo(denied(Denied.OWN_PORT));
		assertThat(guard.check(rules("*:18080", "93.184.216.0/24:18080"), "93.184.216.34", 18080))
			.isEqualTo(denied(Denied.OWN_PORT));
		assertThat(guard.check(corp, "git.corp.example", 443)).isInstanceOf(Allowed.class);
		assertThat(guard.check(rules("*:18080"), "8.8.8.8", 18080)).as("a public server on the same port number")
			.isInstanceOf(Allowed.class);
	}

	@Test
	void theConfiguredServerPortCountsBeforeTheServerHasBound() {
		var guard = new EgressGuard(settings(Map.of(), List.of()), resolver,
				new MockEnvironment().withProperty("management.server.port", "9090"), () -> "", () -> Set.of());

		assertThat(guard.check(rules("10.0.0.0/8:8080"), "10.0.0.5", 8080)).isEqualTo(denied(Denied.OWN_PORT));
		assertThat(guard.check(rules("10.0.0.0/8:9090"), "10.0.0.5", 9090)).isEqualTo(denied(Denied.OWN_PORT));
	}

	@Test
	void airlocksDatabaseIsRefusedByNameAndByAddress() {
		answer("db.internal", "10.1.1.1");
		environment.setProperty("spring.datasource.url",
				"jdbc:postgresql://db.internal:5432,10.9.9.9:6543/airlock?ssl=true");
		var guard = guard();
		var naming = rules("db.internal:5432", "10.0.0.0/8:5432", "10.0.0.0/8:6543");

		assertThat(guard.check(naming, "db.internal", 5432)).isEqualTo(denied(Denied.OWN_PORT));
		assertThat(guard.check(naming, "10.1.1.1", 5432)).isEqualTo(denied(Denied.OWN_PORT));
		assertThat(guard.check(naming, "10.9.9.9", 6543)).isEqualTo(denied(Denied.OWN_PORT));
		assertThat(guard.check(naming, "10.1.1.1", 6543)).as("another port of that host").isInstanceOf(Allowed.class);
	}

	@Test
	void aTcpDockerEngineIsRefused() {
		environment.setProperty("airlock.runtime.docker.host", "tcp://10.2.2.2");
		var guard = guard();

		assertThat(guard.check(rules("10.0.0.0/8:2375"), "10.2.2.2", 2375)).isEqualTo(denied(Denied.OWN_PORT));

		environment.setProperty("airlock.runtime.docker.host", "tcp://10.2.2.3:2376");
		assertThat(guard(settings(Map.of(), List.of())).check(rules("10.0.0.0/8:2376"), "10.2.2.3", 2376))
			.isEqualTo(denied(Denied.OWN_PORT));
	}

	@Test
	void refusedRangesWinOverEveryRule() {
		answer("dns.google", "8.8.4.4");
		var guard = guard(settings(Map.of(), List.of("8.8.4.0/24")));

		assertThat(guard.check(rules("*", "8.8.4.0/24"), "8.8.4.4", 443)).isEqualTo(denied(Denied.REFUSED_ADDRESS));
		assertThat(guard.check(rules("*"), "dns.google", 443)).isEqualTo(denied(Denied.RESOLVES_TO_REFUSED));
		assertThat(guard.check(rules("*"), "8.8.8.8", 443)).isInstanceOf(Allowed.class);
	}

	@Test
	void anIpv6AddressCarryingAnIpv4OneIsJudgedByBoth() {
		environment.setProperty("spring.datasource.url", "jdbc:postgresql://8.8.9.9:5432/airlock");
		answer("nat64.example.com", "64:ff9b::808:404");
		var guard = guard(settings(Map.of(), List.of("8.8.4.0/24")));
		var everything = rules("*", "*:5432", "*:18080", "::/0", "[::/0]:5432", "[::/0]:18080");

		assertThat(guard.check(everything, "[64:ff9b::808:404]", 443)).as("NAT64 of a refused range")
			.isEqualTo(denied(Denied.REFUSED_ADDRESS));
		assertThat(guard.check(everything, "[2002:808:404::1]", 443)).as("6to4 of a refused range")
			.isEqualTo(denied(Denied.REFUSED_ADDRESS));
		assertThat(guard.check(everything, "nat64.example.com", 443)).isEqualTo(denied(Denied.RESOLVES_TO_REFUSED));
		assertThat(guard.check(everything, "[64:ff9b::5db8:d822]", 443)).as("NAT64 of this host's own address")
			.isEqualTo(denied(Denied.REFUSED_ADDRESS));
		assertThat(guard.check(everything, "[64:ff9b::5db8:d822]", 18080)).isEqualTo(denied(Denied.OWN_PORT));
		assertThat(guard.check(everything, "[64:ff9b::808:909]", 5432)).as("NAT64 of the database")
			.isEqualTo(denied(Denied.OWN_PORT));
		assertThat(guard.check(everything, "[64:ff9b::808:808]", 443)).isInstanceOf(Allowed.class);
	}

	@Test
	void pinnedHostsAnswerBeforeDnsAndAreCheckedLikeAnyAnswer() {
		var guard = guard(settings(Map.of("Allowed.Test.", "8.8.8.8", "private.test", "10.3.3.3"), List.of()));

		assertThat(guard.check(rules("allowed.test"), "allowed.test", 80))
			.isEqualTo(new Allowed(List.of(ip("8.8.8.8"))));
		assertThat(guard.check(rules("private.test"), "private.test", 80))
			.isEqualTo(denied(Denied.RESOLVES_TO_REFUSED));
		assertThat(guard.check(rules("private.test", "10.3.3.0/24"), "private.test", 80)).isInstanceOf(Allowed.class);
		assertThat(asked).isEmpty();
	}

	@Test
	void aNameWithoutAnswerOrTooSlowToAnswerIsRefused() {
		dns.put("empty.example.com", List.of());

		assertThat(guard().check(rules("*"), "nothing.example.com", 443)).isEqualTo(denied(Denied.UNKNOWN_HOST));
		assertThat(guard().check(rules("*"), "empty.example.com", 443)).isEqualTo(denied(Denied.UNKNOWN_HOST));
		assertThat(guard().check(rules("*"), "slow.test", 443)).isEqualTo(denied(Denied.RESOLVE_TIMEOUT));
	}

	@Test
	void anIpv4MappedAnswerIsJudgedAsItsIpv4Address() throws UnknownHostException {
		var mapped = new byte[16];
		mapped[10] = (byte) 0xff;
		mapped[11] = (byte) 0xff;
		mapped[12] = 10;
		mapped[15] = 5;
		dns.put("mapped.example.com", List.of(Inet6Address.getByAddress(null, mapped, -1)));

		assertThat(guard().check(rules("*"), "mapped.example.com", 443)).isEqualTo(denied(Denied.RESOLVES_TO_REFUSED));
		assertThat(guard().check(rules("*", "10.0.0.0/8"), "mapped.example.com", 443))
			.isEqualTo(new Allowed(List.of(ip("10.0.0.5"))));
	}

}
