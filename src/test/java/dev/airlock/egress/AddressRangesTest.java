package dev.airlock.egress;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

import dev.airlock.policy.EgressRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The addresses no sandbox reaches unless a policy names them. */
class AddressRangesTest {

	static InetAddress ip(String literal) {
		var address = EgressRule.literal(literal);
		assertThat(address).as(literal).isNotNull();
		return address;
	}

	@ParameterizedTest
	@ValueSource(strings = { "0.0.0.0", "0.1.2.3", "10.0.0.1", "10.255.255.255", "100.64.0.1", "100.127.255.255",
			"127.0.0.1", "127.255.0.1", "169.254.169.254", "172.16.0.1", "172.17.0.1", "172.31.255.255", "192.0.0.170",
			"192.0.2.1", "192.88.99.1", "192.168.1.1", "198.18.0.1", "198.19.255.255", "198.51.100.7", "203.0.113.9",
			"224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255", "::", "::1", "fe80::1", "febf::1",
			"fec0::1", "fc00::1", "fd12:3456::1", "ff02::1", "2001:db8::1", "3fff::1", "100::1", "64:ff9b:1::1",
			"5f00::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::127.0.0.1", "::169.254.169.254", "64:ff9b::7f00:1",
			"64:ff9b::a9fe:a9fe", "2002:7f00:1::", "2002:a9fe:a9fe::1", "2002:c0a8:101::" })
	void specialAddresses(String literal) {
		assertThat(AddressRanges.special(ip(literal))).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.0", "172.15.255.255", "172.32.0.0",
			"192.0.1.1", "192.169.0.1", "198.17.255.255", "198.20.0.0", "223.255.255.255", "11.0.0.1",
			"2606:4700::1111", "2a00:1450::1", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1" })
	void publicAddresses(String literal) {
		assertThat(AddressRanges.special(ip(literal))).isFalse();
	}

	@Test
	void anIpv4MappedAddressKeptAsIpv6IsJudgedByItsIpv4() throws UnknownHostException {
		var mapped = new byte[16];
		mapped[10] = (byte) 0xff;
		mapped[11] = (byte) 0xff;
		mapped[12] = (byte) 169;
		mapped[13] = (byte) 254;
		mapped[14] = (byte) 169;
		mapped[15] = (byte) 254;
		var kept = Inet6Address.getByAddress(null, mapped, -1);

		assertThat(kept).isInstanceOf(Inet6Address.class);
		assertThat(AddressRanges.special(kept)).isTrue();
	}

	@Test
	void teredoIsJudgedByTheServerAndTheClientItCarries() {
		// 2001:0:<server>:<flags>:<port>:<client xor ffffffff>
		assertThat(AddressRanges.special(ip("2001:0:808:808:0:0:f5ff:fffe"))).as("client 10.0.0.1").isTrue();
		assertThat(AddressRanges.special(ip("2001:0:a00:1:0:0:f7f7:f7f7"))).as("server 10.0.0.1").isTrue();
		assertThat(AddressRanges.special(ip("2001:0:808:808:0:0:f7f7:f7f7"))).as("both 8.8.8.8").isFalse();
	}

	@Test
	void onlyARangeWhollyInsideASpecialOneNamesSpecialAddresses() {
		assertThat(AddressRanges.special(EgressRule.parse("10.0.0.0/8"))).isTrue();
		assertThat(AddressRanges.special(EgressRule.parse("10.1.2.0/24:5432"))).isTrue();
		assertThat(AddressRanges.special(EgressRule.parse("169.254.169.254"))).isTrue();
		assertThat(AddressRanges.special(EgressRule.parse("172.16.0.0/12"))).isTrue();
		assertThat(AddressRanges.special(EgressRule.parse("fd00::/8"))).isTrue();
		assertThat(AddressRanges.special(EgressRule.parse("0.0.0.0/0"))).as("everything").isFalse();
		assertThat(AddressRanges.special(EgressRule.parse("8.0.0.0/4"))).as("mostly public").isFalse();
		assertThat(AddressRanges.special(EgressRule.parse("172.0.0.0/8"))).isFalse();
		assertThat(AddressRanges.special(EgressRule.parse("::/0"))).isFalse();
		assertThat(AddressRanges.special(EgressRule.parse("8.8.8.8"))).isFalse();
		assertThat(AddressRanges.special(EgressRule.parse("*"))).isFalse();
		assertThat(AddressRanges.special(EgressRule.parse("pypi.org"))).isFalse();
	}

}
