package dev.airlock.egress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import dev.airlock.egress.ProxyRequest.Connect;
import dev.airlock.egress.ProxyRequest.Http;
import dev.airlock.egress.ProxyRequest.Malformed;
import dev.airlock.policy.EgressRule;

/**
 * Reads a proxy request's head strictly: CRLF line ends only, no folded or
 * control-character headers, one Host header that names the URI's own authority, no
 * userinfo or percent-encoding in the authority, unambiguous body framing. Whatever two
 * readers could understand differently is refused rather than guessed at.
 */
final class ProxyRequestParser {

	private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

	private static final Pattern PORT = Pattern.compile("[1-9][0-9]{0,4}");

	private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]+");

	private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

	private static final int MAX_HOST = 253;

	private ProxyRequestParser() {
	}

	/** A refusal while parsing: no stack trace, it is not an error of Airlock's. */
	private static final class Refused extends RuntimeException {

		Refused(String reason) {
			super(reason, null, false, false);
		}

	}

	private record Header(String name, String value) {

		boolean is(String other) {
			return name.equalsIgnoreCase(other);
		}

	}

	private record Authority(String host, int port) {
	}

	static ProxyRequest parse(InputStream in) throws IOException {
		try {
			var lines = readHead(in);
			var requestLine = lines.getFirst().split(" ", -1);
			if (requestLine.length != 3 || !TOKEN.matcher(requestLine[0]).matches()) {
				throw new Refused("malformed request line");
			}
			var method = requestLine[0];
			var target = requestLine[1];
			var version = requestLine[2];
			if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
				throw new Refused("not HTTP/1.x");
			}
			if (target.isEmpty() || !target.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
				throw new Refused("malformed request target");
			}
			var headers = headers(lines);
			if (method.equals("CONNECT")) {
				var authority = authority(target, -1);
				return new Connect(authority.host(), authority.port());
			}
			return http(method, target, version, headers);
		}
		catch (Refused refused) {
			return new Malformed(refused.getMessage());
		}
	}

	/** The head's lines, without their CRLF and without the blank line that ends it. */
	private static List<String> readHead(InputStream in) throws IOException {
		var head = new ByteArrayOutputStream(512);
		var lineLength = 0;
		var previous = -1;
		while (true) {
			var b = in.read();
			if (b < 0) {
				throw new Refused("incomplete head");
			}
			if (head.size() >= ProxyRequest.MAX_HEAD) {
				throw new Refused("head too large");
			}
			if (previous == '\r' && b != '\n') {
				throw new Refused("bare CR");
			}
			if (b == '\n' && previous != '\r') {
				throw new Refused("bare LF");
			}
			head.write(b);
			previous = b;
			if (b != '\n') {
				lineLength++;
				continue;
			}
			if (lineLength == 1 && head.size() == 2) {
				throw new Refused("malformed request line");
			}
			if (lineLength == 1) {
				break;
			}
			lineLength = 0;
		}
		var text = head.toString(StandardCharsets.ISO_8859_1);
		return List.of(text.substring(0, text.length() - 4).split("\r\n", -1));
	}

	private static List<Header> headers(List<String> lines) {
		var headers = new ArrayList<Header>();
		for (var line : lines.subList(1, lines.size())) {
			if (line.startsWith(" ") || line.startsWith("\t")) {
				throw new Refused("folded header");
			}
			var colon = line.indexOf(':');
			if (colon <= 0 || !TOKEN.matcher(line.substring(0, colon)).matches()) {
				throw new Refused("malformed header");
			}
			var value = trimSpaces(line.substring(colon + 1));
			if (!value.chars().allMatch(c -> c == '\t' || (c >= 0x20 && c != 0x7f))) {
				throw new Refused("control character in a header");
			}
			headers.add(new Header(line.substring(0, colon), value));
		}
		return headers;
	}

	/** Without leading and trailing spaces and tabs (HTTP's whitespace, and only it). */
	private static String trimSpaces(String value) {
		var start = 0;
		var end = value.length();
		while (start < end && (value.charAt(start) == ' ' || value.charAt(start) == '\t')) {
			start++;
		}
		while (end > start && (value.charAt(end - 1) == ' ' || value.charAt(end - 1) == '\t')) {
			end--;
		}
		return value.substring(start, end);
	}

	private static Http http(String method, String target, String version, List<Header> headers) {
		var lower = target.toLowerCase(Locale.ROOT);
		if (lower.startsWith("https://")) {
			throw new Refused("https:// needs CONNECT");
		}
		if (!lower.startsWith("http://")) {
			throw new Refused("needs an absolute http:// URI or CONNECT");
		}
		if (target.indexOf('#') >= 0) {
			throw new Refused("fragment in the URI");
		}
		var rest = target.substring("http://".length());
		var end = rest.length();
		for (var stop : new char[] { '/', '?' }) {
			var at = rest.indexOf(stop);
			end = at >= 0 ? Math.min(end, at) : end;
		}
		var authority = authority(rest.substring(0, end), 80);
		var path = rest.substring(end);
		path = path.isEmpty() || path.startsWith("?") ? "/" + path : path;
		var bodyLength = bodyLength(version, headers);
		var hosts = headers.stream().filter(h -> h.is("Host")).toList();
		if (hosts.size() > 1) {
			throw new Refused("more than one Host header");
		}
		if (hosts.size() == 1 && !sameAuthority(hosts.getFirst().value(), authority)) {
			throw new Refused("Host header differs from the URI");
		}
		var upstream = new StringBuilder(method).append(' ').append(path).append(' ').append(version).append("\r\n");
		if (hosts.isEmpty()) {
			upstream.append("Host: ").append(authority.host());
			upstream.append(authority.port() == 80 ? "" : ":" + authority.port()).append("\r\n");
		}
		for (var header : headers) {
			if (!hopByHop(header)) {
				upstream.append(header.name()).append(": ").append(header.value()).append("\r\n");
			}
		}
		upstream.append("Connection: close\r\n\r\n");
		return new Http(authority.host(), authority.port(), upstream.toString().getBytes(StandardCharsets.ISO_8859_1),
				bodyLength);
	}

	private static boolean hopByHop(Header header) {
		return header.is("Connection") || header.is("Keep-Alive") || header.is("Upgrade")
				|| header.name().toLowerCase(Locale.ROOT).startsWith("proxy-");
	}

	/**
	 * One way to tell where the body ends, or none: nothing a server could read twice.
	 * Answers the body's length (0 without one) or {@link RequestBody#CHUNKED}.
	 */
	private static long bodyLength(String version, List<Header> headers) {
		var encodings = headers.stream().filter(h -> h.is("Transfer-Encoding")).toList();
		var lengths = headers.stream().filter(h -> h.is("Content-Length")).toList();
		if (!encodings.isEmpty() && (encodings.size() > 1 || !encodings.getFirst().value().equalsIgnoreCase("chunked")
				|| !lengths.isEmpty() || version.equals("HTTP/1.0"))) {
			throw new Refused("ambiguous Transfer-Encoding");
		}
		if (lengths.size() > 1 || (lengths.size() == 1 && !lengths.getFirst().value().matches("[0-9]{1,18}"))) {
			throw new Refused("ambiguous Content-Length");
		}
		return !encodings.isEmpty() ? RequestBody.CHUNKED
				: lengths.isEmpty() ? 0 : Long.parseLong(lengths.getFirst().value());
	}

	private static boolean sameAuthority(String hostHeader, Authority authority) {
		try {
			return authority(hostHeader, 80).equals(authority);
		}
		catch (Refused refused) {
			return false;
		}
	}

	/**
	 * {@code host[:port]} or {@code [IPv6][:port]}: the host lowercased without a
	 * trailing dot; {@code defaultPort} -1 when the port is required.
	 */
	private static Authority authority(String text, int defaultPort) {
		if (text.indexOf('@') >= 0) {
			throw new Refused("userinfo in the authority");
		}
		if (text.indexOf('%') >= 0) {
			throw new Refused("percent-encoding in the host");
		}
		String host;
		String rest;
		if (text.startsWith("[")) {
			var close = text.indexOf(']');
			var inside = close < 0 ? "" : text.substring(1, close);
			if (inside.indexOf(':') < 0 || !IPV6.matcher(inside).matches()) {
				throw new Refused("malformed IPv6 literal");
			}
			host = "[" + inside.toLowerCase(Locale.ROOT) + "]";
			rest = text.substring(close + 1);
		}
		else {
			var colon = text.indexOf(':');
			host = colon < 0 ? text : text.substring(0, colon);
			rest = colon < 0 ? "" : text.substring(colon);
			if (!HOST.matcher(host).matches()) {
				throw new Refused("malformed host");
			}
			host = EgressRule.normalName(host);
			if (host.isEmpty() || host.length() > MAX_HOST) {
				throw new Refused("malformed host");
			}
		}
		if (rest.isEmpty() && defaultPort > 0) {
			return new Authority(host, defaultPort);
		}
		if (!rest.startsWith(":") || !PORT.matcher(rest.substring(1)).matches()
				|| Integer.parseInt(rest.substring(1)) > 65535) {
			throw new Refused(defaultPort > 0 ? "malformed port" : "CONNECT needs host:port");
		}
		return new Authority(host, Integer.parseInt(rest.substring(1)));
	}

}
