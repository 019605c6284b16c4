package dev.airlock.policy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Locale;

import dev.airlock.core.IpLiteral;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a policy's {@code egressAllowlist}: an exact host ({@code pypi.org}), the
 * names strictly below a domain ({@code *.example.com}), any public destination
 * ({@code *}) or an address range ({@code 203.0.113.0/24}, a bare address being a range
 * of one), each on one port or, by default, on 80 and 443.
 *
 * @param kind what the entry names
 * @param name the host, or the domain below which a {@code SUFFIX} matches; {@code *} for
 * {@code ANY}, the range's text for {@code CIDR}
 * @param network a {@code CIDR}'s first address, null for the others
 * @param prefix a {@code CIDR}'s prefix length
 * @param port the one port allowed, or 0 for 80 and 443
 */
public record EgressRule(Kind kind, String name, @Nullable InetAddress network, int prefix, int port) {

	/** The longest entry taken. */
	public static final int MAX_LENGTH = 300;

	private static final int MAX_NAME = 253;

	/** What an entry names. */
	public enum Kind {

		/** One host name, exactly. */
		HOST,
		/** Every name strictly below a domain. */
		SUFFIX,
		/** Every public destination. */
		ANY,
		/** A range of addresses, asked for by address. */
		CIDR

	}

	/**
	 * Reads an entry, lowercased.
	 * @throws IllegalArgumentException with a message that completes "egressAllowlist[i]
	 * …" when the entry is none of the forms
	 */
	public static EgressRule parse(String entry) {
		if (entry.isEmpty() || entry.length() > MAX_LENGTH) {
			throw new IllegalArgumentException("must be 1 to " + MAX_LENGTH + " characters");
		}
		for (int i = 0; i < entry.length(); i++) {
			var c = entry.charAt(i);
			if (c <= ' ' || c >= 0x7f) {
				throw new IllegalArgumentException("must be printable ASCII without spaces"
						+ " (write an internationalised name in its xn-- form)");
			}
		}
		var text = entry.toLowerCase(Locale.ROOT);
		var target = text;
		var port = 0;
		if (text.startsWith("[")) {
			var close = text.indexOf(']');
			var rest = close < 0 ? "" : text.substring(close + 1);
			target = close < 0 ? "" : text.substring(1, close);
			if (!rest.startsWith(":") || target.indexOf(':') < 0) {
				throw new IllegalArgumentException("must be [IPv6 address or range]:port when it has brackets");
			}
			port = port(rest.substring(1));
		}
		else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
			target = text.substring(0, text.indexOf(':'));
			port = port(text.substring(text.indexOf(':') + 1));
		}
		return of(target, port);
	}

	private static EgressRule of(String target, int port) {
		if (target.equals("*")) {
			return new EgressRule(Kind.ANY, "*", null, 0, port);
		}
		if (target.startsWith("*.")) {
			var domain = stripDot(target.substring(2));
			if (!isHostName(domain)) {
				throw new IllegalArgumentException("must name a domain after '*.' (" + hostNameRules() + ")");
			}
			return new EgressRule(Kind.SUFFIX, domain, null, 0, port);
		}
		if (target.indexOf('*') >= 0) {
			throw new IllegalArgumentException("must use '*' alone or as the whole first label (*.example.com)");
		}
		var slash = target.indexOf('/');
		if (slash >= 0 || target.indexOf(':') >= 0 || literal(target) != null) {
			return cidr(slash < 0 ? target : target.substring(0, slash), slash < 0 ? null : target.substring(slash + 1),
					port);
		}
		var host = stripDot(target);
		if (!isHostName(host)) {
			throw new IllegalArgumentException("must be a host name, '*.' and a domain, '*', or an IP address or range"
					+ " (" + hostNameRules() + "; addresses as a.b.c.d or IPv6)");
		}
		return new EgressRule(Kind.HOST, host, null, 0, port);
	}

	private static EgressRule cidr(String address, @Nullable String prefixText, int port) {
		var v6 = address.indexOf(':') >= 0;
		var bytes = v6 ? IpLiteral.v6(address) : IpLiteral.v4(address);
		if (bytes == null) {
			throw new IllegalArgumentException(
					"must be an IP address as a.b.c.d (decimal, no leading zeros) or IPv6 (no zone), with /prefix");
		}
		if (v6 && IpLiteral.address(bytes).getAddress().length == 4) {
			throw new IllegalArgumentException("must write an IPv4-mapped address as IPv4 (a.b.c.d)");
		}
		var bits = bytes.length * 8;
		var prefix = bits;
		if (prefixText != null) {
			if (!prefixText.matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(prefixText) > bits) {
				throw new IllegalArgumentException("must have a prefix length of 0 to " + bits);
			}
			prefix = Integer.parseInt(prefixText);
		}
		var network = IpLiteral.address(IpLiteral.masked(bytes, prefix));
		return new EgressRule(Kind.CIDR, IpLiteral.format(network) + "/" + prefix, network, prefix, port);
	}

	private static int port(String text) {
		if (!text.matches("[1-9][0-9]{0,4}") || Integer.parseInt(text) > 65535) {
			throw new IllegalArgumentException("must have a port of 1 to 65535 after ':'");
		}
		return Integer.parseInt(text);
	}

	/**
	 * Whether a request for {@code host} (a name, not an address) on {@code port} is
	 * allowed by this entry; case and one trailing dot do not matter.
	 */
	public boolean allowsName(String host, int port) {
		var normal = normalName(host);
		if (!allowsPort(port) || !isHostName(normal)) {
			return false;
		}
		return switch (kind) {
			case HOST -> normal.equals(name);
			case SUFFIX -> normal.length() > name.length() + 1 && normal.endsWith("." + name);
			case ANY -> true;
			case CIDR -> false;
		};
	}

	/** Whether this is a range that holds {@code address} and allows {@code port}. */
	public boolean allowsAddress(InetAddress address, int port) {
		return allowsPort(port) && namesRange(address);
	}

	/**
	 * Whether this is a range that holds {@code address}: an admin's explicit naming of
	 * it, whatever the port.
	 */
	public boolean namesRange(InetAddress address) {
		var network = this.network;
		return kind == Kind.CIDR && network != null
				&& IpLiteral.samePrefix(network.getAddress(), address.getAddress(), prefix);
	}

	/** Whether this entry allows {@code port}: its own, or 80 and 443 by default. */
	public boolean allowsPort(int port) {
		return this.port == 0 ? port == 80 || port == 443 : port == this.port;
	}

	/**
	 * The address a request's host spells, or null when it is not an IP literal in the
	 * one accepted spelling: a dotted quad without leading zeros, or IPv6 (bracketed or
	 * not) without a zone. IPv4-mapped IPv6 answers the IPv4 address.
	 */
	public static @Nullable InetAddress literal(String host) {
		var text = host.length() > 2 && host.startsWith("[") && host.endsWith("]")
				? host.substring(1, host.length() - 1) : host;
		return IpLiteral.parse(text);
	}

	/**
	 * Whether {@code host} is a lowercase DNS name: labels of letters, digits and inner
	 * hyphens, at most 253 characters, the last label starting with a letter — so that no
	 * spelling of an IPv4 address ({@code 2130706433}, {@code 0x7f.1}) is a name.
	 */
	public static boolean isHostName(String host) {
		if (host.isEmpty() || host.length() > MAX_NAME) {
			return false;
		}
		var labels = host.split("\\.", -1);
		for (var label : labels) {
			if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")
					|| !label.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
				return false;
			}
		}
		var last = labels[labels.length - 1];
		return last.charAt(0) >= 'a' && last.charAt(0) <= 'z';
	}

	/**
	 * A host as every egress check compares it: lowercase, without one trailing dot
	 * ({@code Example.COM.} is {@code example.com}).
	 */
	public static String normalName(String host) {
		return stripDot(host.toLowerCase(Locale.ROOT));
	}

	private static String stripDot(String host) {
		return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
	}

	private static String hostNameRules() {
		return "letters, digits and '-' in dot-separated labels, the last starting with a letter";
	}

	/**
	 * The entry as stored: lowercase, default ports left out, ranges at their network.
	 */
	@Override
	public String toString() {
		var target = switch (kind) {
			case SUFFIX -> "*." + name;
			default -> name;
		};
		if (port == 0) {
			return target;
		}
		return network instanceof Inet6Address ? "[" + target + "]:" + port : target + ":" + port;
	}

}
