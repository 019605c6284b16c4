package dev.airlock.egress;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import dev.airlock.core.IpLiteral;
import dev.airlock.policy.EgressRule;

/**
 * The addresses no sandbox reaches unless a policy names them: loopback, unspecified,
 * link-local, private and shared ranges, multicast, broadcast, reserved and documentation
 * ranges; and IPv6 addresses that carry an IPv4 address (mapped, compatible, NAT64, 6to4,
 * Teredo), judged by the IPv4 address they carry.
 */
public final class AddressRanges {

	private static final List<EgressRule> SPECIAL = Stream
		.of("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
				"192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
				"203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4", "::/128", "::1/128", "100::/64", "64:ff9b:1::/48",
				"2001:2::/48", "2001:10::/28", "2001:20::/28", "2001:db8::/32", "3fff::/20", "5f00::/16", "fc00::/7",
				"fe80::/10", "fec0::/10", "ff00::/8")
		.map(EgressRule::parse)
		.toList();

	private AddressRanges() {
	}

	/** Whether {@code address} is one no sandbox reaches unless a policy names it. */
	public static boolean special(InetAddress address) {
		if (SPECIAL.stream().anyMatch(range -> range.namesRange(address))) {
			return true;
		}
		return address instanceof Inet6Address && embedded(address.getAddress()).anyMatch(AddressRanges::special);
	}

	/**
	 * Whether every address of a {@code CIDR} rule's range is special: only such a rule
	 * names special addresses explicitly ({@code 10.0.0.0/8} does, {@code 0.0.0.0/0} does
	 * not).
	 */
	public static boolean special(EgressRule range) {
		var network = range.network();
		return range.kind() == EgressRule.Kind.CIDR && network != null
				&& SPECIAL.stream().anyMatch(s -> s.prefix() <= range.prefix() && s.namesRange(network));
	}

	/**
	 * The address and the IPv4 addresses it carries: every address a connection to it may
	 * end at (through a NAT64 gateway, a 6to4 or Teredo relay).
	 */
	static List<InetAddress> forms(InetAddress address) {
		return address instanceof Inet6Address
				? Stream.concat(Stream.of(address), embedded(address.getAddress())).toList() : List.of(address);
	}

	/** The IPv4 addresses an IPv6 address carries (none for most). */
	private static Stream<InetAddress> embedded(byte[] b) {
		if (zero(b, 0, 10) && ((b[10] == 0 && b[11] == 0) || (b[10] == (byte) 0xff && b[11] == (byte) 0xff))) {
			return Stream.of(v4(b, 12, false)); // IPv4-compatible, IPv4-mapped
		}
		if (zero(b, 0, 8) && b[8] == (byte) 0xff && b[9] == (byte) 0xff && zero(b, 10, 12)) {
			return Stream.of(v4(b, 12, false)); // IPv4-translated (SIIT)
		}
		if (b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b && zero(b, 4, 12)) {
			return Stream.of(v4(b, 12, false)); // NAT64
		}
		if (b[0] == 0x20 && b[1] == 0x02) {
			return Stream.of(v4(b, 2, false)); // 6to4
		}
		if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0) {
			return Stream.of(v4(b, 4, false), v4(b, 12, true)); // Teredo: server, client
		}
		return Stream.empty();
	}

	private static boolean zero(byte[] b, int from, int to) {
		return Arrays.equals(b, from, to, new byte[to - from], 0, to - from);
	}

	private static InetAddress v4(byte[] b, int at, boolean inverted) {
		var bytes = Arrays.copyOfRange(b, at, at + 4);
		if (inverted) {
			for (int i = 0; i < 4; i++) {
				bytes[i] = (byte) ~bytes[i];
			}
		}
		return IpLiteral.address(bytes);
	}

}
