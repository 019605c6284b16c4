package dev.airlock.core;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The one spelling of IP addresses, read and written. */
class IpLiteralTest {

	static String canonical(String literal) {
		var address = IpLiteral.parse(literal);
		assertThat(address).as(literal).isNotNull();
		return IpLiteral.format(address);
	}

	@Test
	void ipv6IsWrittenAsRfc5952Says() {
		assertThat(canonical("2001:0DB8:0000:0000:0000:0000:0000:0001")).isEqualTo("2001:db8::1");
		assertThat(canonical("2001:db8:0:1:1:1:1:1")).as("one zero group stays").isEqualTo("2001:db8:0:1:1:1:1:1");
		assertThat(canonical("2001:0:0:1:0:0:0:1")).as("the longest run").isEqualTo("2001:0:0:1::1");
		assertThat(canonical("2001:db8:0:0:1:0:0:1")).as("the first of equal runs").isEqualTo("2001:db8::1:0:0:1");
		assertThat(canonical("0:0:0:0:0:0:0:0")).isEqualTo("::");
		assertThat(canonical("1::")).isEqualTo("1::");
		assertThat(canonical("::2:3:4:5:6:7:8")).isEqualTo("0:2:3:4:5:6:7:8");
		assertThat(canonical("64:ff9b::1.2.3.4")).isEqualTo("64:ff9b::102:304");
		assertThat(canonical("10.0.0.1")).isEqualTo("10.0.0.1");
	}

	@Test
	void anIpv4MappedAddressIsTheIpv4Address() throws Exception {
		assertThat(IpLiteral.parse("::ffff:10.0.0.1")).isEqualTo(InetAddress.getByName("10.0.0.1"));
		assertThat(IpLiteral.parse("::FFFF:a00:1")).isEqualTo(InetAddress.getByName("10.0.0.1"));
	}

	@Test
	void prefixesAreComparedBitByBit() {
		var a = new byte[] { 10, (byte) 0b1010_0000, 0, 0 };
		var b = new byte[] { 10, (byte) 0b1011_0000, 0, 0 };

		assertThat(IpLiteral.samePrefix(a, b, 11)).isTrue();
		assertThat(IpLiteral.samePrefix(a, b, 12)).isFalse();
		assertThat(IpLiteral.samePrefix(a, b, 0)).isTrue();
		assertThat(IpLiteral.samePrefix(a, new byte[16], 0)).as("IPv4 is never in an IPv6 range").isFalse();
		assertThat(IpLiteral.masked(b, 11)).containsExactly(10, 0b1010_0000, 0, 0);
		assertThat(IpLiteral.masked(b, 32)).containsExactly(b);
	}

}
