package dev.airlock.policy;

import java.net.InetAddress;
import java.net.UnknownHostException;

import dev.airlock.policy.EgressRule.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The entries of an egressAllowlist: what they read, what they match, how they are
 * stored.
 */
class EgressRuleTest {

	static InetAddress ip(String literal) {
		try {
			return InetAddress.getByName(literal);
		}
		catch (UnknownHostException e) {
			throw new IllegalStateException(e);
		}
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			pypi.org                      | HOST   | pypi.org
			PyPI.ORG                      | HOST   | pypi.org
			pypi.org.                     | HOST   | pypi.org
			pypi.org:8443                 | HOST   | pypi.org:8443
			xn--bcher-kva.example         | HOST   | xn--bcher-kva.example
			localhost                     | HOST   | localhost
			*.GitHubUserContent.com       | SUFFIX | *.githubusercontent.com
			*.example.com:22              | SUFFIX | *.example.com:22
			*                             | ANY    | *
			*:8080                        | ANY    | *:8080
			203.0.113.0/24                | CIDR   | 203.0.113.0/24
			203.0.113.77/24               | CIDR   | 203.0.113.0/24
			203.0.113.5                   | CIDR   | 203.0.113.5/32
			203.0.113.5:443               | CIDR   | 203.0.113.5/32:443
			0.0.0.0/0                     | CIDR   | 0.0.0.0/0
			2001:DB8::/32                 | CIDR   | 2001:db8::/32
			2001:db8:0:0:0:0:0:1          | CIDR   | 2001:db8::1/128
			2001:0db8:0000:0001:0:0:0:0/64 | CIDR  | 2001:db8:0:1::/64
			[2001:db8::/32]:443           | CIDR   | [2001:db8::/32]:443
			[2001:db8::1]:8443            | CIDR   | [2001:db8::1/128]:8443
			::1                           | CIDR   | ::1/128
			64:ff9b::192.0.2.1            | CIDR   | 64:ff9b::c000:201/128
			""")
	void eachFormIsReadAndStoredCanonically(String entry, Kind kind, String stored) {
		var rule = EgressRule.parse(entry);

		assertThat(rule.kind()).isEqualTo(kind);
		assertThat(rule).hasToString(stored);
		assertThat(EgressRule.parse(stored)).as("the stored form reads back the same").isEqualTo(rule);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", " pypi.org", "pypi.org ", "py pi.org", "pypi.org\n", "pypi.org\u0000",
			"bücher.example", "pypi.org\u200b", "http://pypi.org", "pypi.org/simple", "user@pypi.org", "pypi.org:0",
			"pypi.org:65536", "pypi.org:080", "pypi.org:", "pypi.org:https", ":443", "**", "*.", "*.*.example.com",
			"a.*.example.com", "*example.com", "ex*ample.com", "-pypi.org", "pypi-.org", "pypi..org", "pypi.org..", ".",
			"pypi_org.com", "2130706433", "0x7f.1", "017700000001", "127.1", "127.0.0.01", "0x7f000001", "1.2.3.4.",
			"1.2.3.256", "1.2.3.4/33", "1.2.3.4/08", "1.2.3.4/-1", "1.2.3.4/", "2001:db8::/129", "fe80::1%eth0",
			"fe80::1%25eth0", "[fe80::1%eth0]:443", "::ffff:127.0.0.1", "[::ffff:10.0.0.0/104]:443", "[2001:db8::1]",
			"[pypi.org]:443", "[1.2.3.4]:443", "1::2::3", "1:2:3:4:5:6:7:8:9", "12345::", "[2001:db8::1]:",
			"[2001:db8::1]443", "*.1.2.3", "*.example.123" })
	void everythingElseIsRefusedWithAReason(String entry) {
		assertThatIllegalArgumentException().isThrownBy(() -> EgressRule.parse(entry))
			.satisfies(e -> assertThat(e.getMessage()).startsWith("must").doesNotContain("\n"));
	}

	@Test
	void aVeryLongEntryIsRefusedWithoutWorkOnIt() {
		var label = "a".repeat(63);
		var longest = String.join(".", label, label, label, "a".repeat(61));
		assertThat(longest).hasSize(253);
		assertThat(EgressRule.parse(longest)).hasToString(longest);
		assertThatIllegalArgumentException().isThrownBy(() -> EgressRule.parse(longest + "a"));
		assertThatIllegalArgumentException().isThrownBy(() -> EgressRule.parse("a".repeat(64) + ".com"));
		assertThatIllegalArgumentException().isThrownBy(() -> EgressRule.parse("a.".repeat(100_000) + "com"))
			.withMessageContaining("300");
	}

	@Test
	void aHostMatchesOnlyItselfOnItsPorts() {
		var rule = EgressRule.parse("pypi.org");

		assertThat(rule.allowsName("pypi.org", 443)).isTrue();
		assertThat(rule.allowsName("pypi.org", 80)).isTrue();
		assertThat(rule.allowsName("PYPI.org.", 443)).as("case and the root's dot").isTrue();
		assertThat(rule.allowsName("pypi.org", 8080)).isFalse();
		assertThat(rule.allowsName("files.pypi.org", 443)).isFalse();
		assertThat(rule.allowsName("pypi.org.evil.com", 443)).isFalse();
		assertThat(rule.allowsName("evilpypi.org", 443)).isFalse();
		assertThat(rule.allowsName("pypi.org..", 443)).isFalse();
		assertThat(rule.allowsName("pypi.org\u0000.evil.com", 443)).isFalse();
		assertThat(EgressRule.parse("pypi.org:8080").allowsName("pypi.org", 8080)).isTrue();
		assertThat(EgressRule.parse("pypi.org:8080").allowsName("pypi.org", 443)).as("the port replaces 80 and 443")
			.isFalse();
	}

	@Test
	void aSuffixMatchesStrictlyBelowItsDomain() {
		var rule = EgressRule.parse("*.example.com");

		assertThat(rule.allowsName("a.example.com", 443)).isTrue();
		assertThat(rule.allowsName("a.b.example.com", 80)).isTrue();
		assertThat(rule.allowsName("A.EXAMPLE.COM.", 80)).isTrue();
		assertThat(rule.allowsName("example.com", 443)).as("not the domain itself").isFalse();
		assertThat(rule.allowsName("evil-example.com", 443)).isFalse();
		assertThat(rule.allowsName("evilexample.com", 443)).isFalse();
		assertThat(rule.allowsName("example.com.evil.org", 443)).isFalse();
		assertThat(rule.allowsName("a.example.com.evil.org", 443)).isFalse();
		assertThat(rule.allowsName(".example.com", 443)).isFalse();
		assertThat(rule.allowsName("a..example.com", 443)).isFalse();
		assertThat(rule.allowsName("a.example.com", 22)).isFalse();
	}

	@Test
	void anyMatchesEveryNameButNoAddressByItself() {
		var rule = EgressRule.parse("*");

		assertThat(rule.allowsName("anything.org", 443)).isTrue();
		assertThat(rule.allowsName("anything.org", 22)).isFalse();
		assertThat(rule.allowsName("1.2.3.4", 443)).as("an address is not a name").isFalse();
		assertThat(rule.allowsName("2130706433", 443)).isFalse();
		assertThat(rule.allowsAddress(ip("8.8.8.8"), 443)).isFalse();
		assertThat(rule.namesRange(ip("10.0.0.1"))).isFalse();
		assertThat(EgressRule.parse("*:22").allowsName("git.example.com", 22)).isTrue();
	}

	@Test
	void aRangeMatchesAddressesNotNames() {
		var rule = EgressRule.parse("203.0.113.0/24");

		assertThat(rule.allowsAddress(ip("203.0.113.9"), 443)).isTrue();
		assertThat(rule.allowsAddress(ip("203.0.114.9"), 443)).isFalse();
		assertThat(rule.allowsAddress(ip("203.0.113.9"), 22)).isFalse();
		assertThat(rule.allowsAddress(ip("::ffff:203.0.113.9"), 80)).as("IPv4-mapped is the IPv4 address").isTrue();
		assertThat(rule.allowsAddress(ip("2001:db8::1"), 80)).isFalse();
		assertThat(rule.allowsName("203.0.113.9", 443)).isFalse();
		assertThat(rule.namesRange(ip("203.0.113.200"))).isTrue();
		assertThat(EgressRule.parse("10.1.2.3").namesRange(ip("10.1.2.3"))).isTrue();
		assertThat(EgressRule.parse("10.1.2.3").namesRange(ip("10.1.2.4"))).isFalse();
		var v6 = EgressRule.parse("[2001:db8::/32]:443");
		assertThat(v6.allowsAddress(ip("2001:db8:ffff::1"), 443)).isTrue();
		assertThat(v6.allowsAddress(ip("2001:db9::1"), 443)).isFalse();
		assertThat(EgressRule.parse("10.0.0.0/9").namesRange(ip("10.127.255.255"))).isTrue();
		assertThat(EgressRule.parse("10.0.0.0/9").namesRange(ip("10.128.0.0"))).isFalse();
		assertThat(EgressRule.parse("0.0.0.0/0").namesRange(ip("255.255.255.255"))).isTrue();
	}

	@Test
	void onlyCanonicalSpellingsAreIpLiterals() {
		assertThat(EgressRule.literal("127.0.0.1")).isEqualTo(ip("127.0.0.1"));
		assertThat(EgressRule.literal("[::1]")).isEqualTo(ip("::1"));
		assertThat(EgressRule.literal("::1")).isEqualTo(ip("::1"));
		assertThat(EgressRule.literal("[::ffff:127.0.0.1]")).isEqualTo(ip("127.0.0.1"));
		assertThat(EgressRule.literal("[0:0:0:0:0:ffff:7f00:1]")).isEqualTo(ip("127.0.0.1"));
		for (var spelling : new String[] { "2130706433", "0x7f.1", "017700000001", "127.1", "0177.0.0.1", "127.0.0.01",
				"0x7f.0.0.1", "127.0.0.1.", " 127.0.0.1", "[fe80::1%eth0]", "fe80::1%25eth0", "[::1", "::1]", "[]",
				"[[::1]]", "localhost", "1.2.3", "1.2.3.4.5", "::ffff:127.1", "1:2:3:4:5:6:7:8:9", ":::", "1:::2" }) {
			assertThat(EgressRule.literal(spelling)).as(spelling).isNull();
		}
	}

	@Test
	void namesAreLowercaseLabelsEndingInALetterLabel() {
		assertThat(EgressRule.isHostName("pypi.org")).isTrue();
		assertThat(EgressRule.isHostName("a-b.c0")).isTrue();
		assertThat(EgressRule.isHostName("Pypi.org")).isFalse();
		assertThat(EgressRule.isHostName("1.2.3.4")).isFalse();
		assertThat(EgressRule.isHostName("0x7f.1")).isFalse();
		assertThat(EgressRule.isHostName("0x7f000001")).isFalse();
		assertThat(EgressRule.isHostName("2130706433")).isFalse();
		assertThat(EgressRule.isHostName("pypi.org.")).isFalse();
		assertThat(EgressRule.isHostName("")).isFalse();
		assertThat(EgressRule.isHostName("a_b.org")).isFalse();
		assertThat(EgressRule.isHostName("é.org")).isFalse();
		assertThat(EgressRule.isHostName("a".repeat(64) + ".org")).isFalse();
	}

}
