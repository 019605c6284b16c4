package dev.airlock.core;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * IP addresses written the one way (policies' egress rules, proxy requests, settings)
 * rules and requests may write them: IPv4 as a dotted quad without leading zeros, IPv6 as
 * hexadecimal groups (optionally ending in a dotted quad) without a zone. The platform's
 * parsers accept more (decimal, octal and hex spellings, short forms) and may ask DNS;
 * these never do.
 */
public final class IpLiteral {

	private IpLiteral() {
	}

	/** The address {@code text} spells, or null when it is not a canonical literal. */
	public static @Nullable InetAddress parse(String text) {
		var bytes = text.indexOf(':') >= 0 ? v6(text) : v4(text);
		return bytes == null ? null : address(bytes);
	}

	/** The bytes of an IPv6 literal, IPv4-mapped ones included, or null. */
	public static byte @Nullable [] v6(String text) {
		if (text.isEmpty() || text.length() > 45) {
			return null;
		}
		var bytes = new byte[16];
		var gap = text.indexOf("::");
		if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
			return null;
		}
		if (gap < 0) {
			return groups(text, bytes, 16, true) == 16 ? bytes : null;
		}
		var head = text.substring(0, gap);
		var tail = text.substring(gap + 2);
		var tailBytes = new byte[16];
		var headLength = head.isEmpty() ? 0 : groups(head, bytes, 14, false);
		var tailLength = tail.isEmpty() ? 0 : groups(tail, tailBytes, 14, true);
		if (headLength < 0 || tailLength < 0 || headLength + tailLength > 14) {
			return null;
		}
		System.arraycopy(tailBytes, 0, bytes, 16 - tailLength, tailLength);
		return bytes;
	}

	/**
	 * Writes the colon-separated groups of {@code text} (a dotted quad allowed last when
	 * {@code quad}) from the start of {@code into}; answers the bytes written, or -1.
	 */
	private static int groups(String text, byte[] into, int max, boolean quad) {
		var parts = text.split(":", -1);
		var written = 0;
		for (int i = 0; i < parts.length; i++) {
			var part = parts[i];
			if (quad && i == parts.length - 1 && part.indexOf('.') >= 0) {
				var v4 = v4(part);
				if (v4 == null || written + 4 > max) {
					return -1;
				}
				System.arraycopy(v4, 0, into, written, 4);
				return written + 4;
			}
			if (part.isEmpty() || part.length() > 4 || written + 2 > max || !hex(part)) {
				return -1;
			}
			var value = Integer.parseInt(part, 16);
			into[written++] = (byte) (value >> 8);
			into[written++] = (byte) value;
		}
		return written;
	}

	private static boolean hex(String part) {
		return part.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
	}

	/** The bytes of a canonical dotted quad, or null. */
	public static byte @Nullable [] v4(String text) {
		var parts = text.split("\\.", -1);
		if (parts.length != 4) {
			return null;
		}
		var bytes = new byte[4];
		for (int i = 0; i < 4; i++) {
			var part = parts[i];
			if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')
					|| !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
				return null;
			}
			var value = Integer.parseInt(part);
			if (value > 255) {
				return null;
			}
			bytes[i] = (byte) value;
		}
		return bytes;
	}

	/** An address from raw bytes; IPv4-mapped IPv6 becomes the IPv4 address. */
	public static InetAddress address(byte[] bytes) {
		try {
			return InetAddress.getByAddress(bytes);
		}
		catch (UnknownHostException e) {
			throw new IllegalArgumentException("an address has 4 or 16 bytes", e);
		}
	}

	/** Whether the first {@code prefix} bits of both are the same. */
	public static boolean samePrefix(byte[] a, byte[] b, int prefix) {
		if (a.length != b.length) {
			return false;
		}
		var whole = prefix / 8;
		if (!Arrays.equals(a, 0, whole, b, 0, whole)) {
			return false;
		}
		var rest = prefix % 8;
		var mask = (byte) (0xff << (8 - rest));
		return rest == 0 || (a[whole] & mask) == (b[whole] & mask);
	}

	/** {@code bytes} with every bit after the first {@code prefix} cleared. */
	public static byte[] masked(byte[] bytes, int prefix) {
		var out = bytes.clone();
		for (int i = 0; i < out.length; i++) {
			var keep = Math.max(0, Math.min(8, prefix - i * 8));
			out[i] &= (byte) (0xff << (8 - keep));
		}
		return out;
	}

	/**
	 * The RFC 5952 text of an address: IPv6 lowercase, the longest run of zeros as ::.
	 */
	public static String format(InetAddress address) {
		var bytes = address.getAddress();
		if (bytes.length == 4) {
			return address.getHostAddress();
		}
		var groups = new int[8];
		for (int i = 0; i < 8; i++) {
			groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
		}
		int bestStart = -1;
		int bestLength = 1;
		for (int i = 0; i < 8; i++) {
			int j = i;
			while (j < 8 && groups[j] == 0) {
				j++;
			}
			if (j - i > bestLength) {
				bestStart = i;
				bestLength = j - i;
			}
			i = Math.max(i, j);
		}
		var text = new StringBuilder();
		for (int i = 0; i < 8; i++) {
			if (i == bestStart) {
				text.append("::");
				i += bestLength - 1;
				continue;
			}
			if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
				text.append(':');
			}
			text.append(Integer.toHexString(groups[i]));
		}
		return text.toString();
	}

}
