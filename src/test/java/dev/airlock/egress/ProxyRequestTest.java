package dev.airlock.egress;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import dev.airlock.egress.ProxyRequest.Connect;
import dev.airlock.egress.ProxyRequest.Http;
import dev.airlock.egress.ProxyRequest.Malformed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The proxy request heads a sandbox process may send, and the ones a hostile one might.
 */
class ProxyRequestTest {

	static ProxyRequest read(String head) {
		return read(new ByteArrayInputStream(head.getBytes(StandardCharsets.ISO_8859_1)));
	}

	static ProxyRequest read(InputStream in) {
		try {
			return ProxyRequest.read(in);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	static String upstream(ProxyRequest request) {
		assertThat(request).isInstanceOf(Http.class);
		return new String(((Http) request).upstreamHead(), StandardCharsets.ISO_8859_1);
	}

	static String malformed(String head) {
		var request = read(head);
		assertThat(request).as(head).isInstanceOf(Malformed.class);
		return ((Malformed) request).reason();
	}

	@Test
	void connectNamesTheTunnelsHostAndPortAndLeavesWhatFollowsUnread() throws IOException {
		var in = new ByteArrayInputStream(
				"CONNECT Allowed.COM.:443 HTTP/1.1\r\nHost: allowed.com:443\r\n\r\n\u0016\u0003\u0001"
					.getBytes(StandardCharsets.ISO_8859_1));

		assertThat(read(in)).isEqualTo(new Connect("allowed.com", 443));
		assertThat(in.readAllBytes()).containsExactly(0x16, 0x03, 0x01);
		assertThat(read("CONNECT [2001:DB8::1]:8443 HTTP/1.1\r\n\r\n")).isEqualTo(new Connect("[2001:db8::1]", 8443));
		assertThat(read("CONNECT 203.0.113.5:22 HTTP/1.0\r\n\r\n")).isEqualTo(new Connect("203.0.113.5", 22));
	}

	@ParameterizedTest
	@ValueSource(strings = { "allowed.com:443@evil.com", "user:pw@allowed.com:443", "allowed.com", "allowed.com:",
			"allowed.com:0", "allowed.com:65536", "allowed.com:0443", "allowed.com:+443", "allowed.com:443:443",
			"allowed.com%2eevil.com:443", "[fe80::1%25eth0]:443", "[fe80::1%eth0]:443", "[::1:443", "[allowed.com]:443",
			"allowed.com:443/path", "allowed.com\\evil.com:443", ":443", ".:443", "http://allowed.com:443" })
	void aConnectTargetIsOnlyHostAndPort(String target) {
		malformed("CONNECT " + target + " HTTP/1.1\r\n\r\n");
	}

	@Test
	void anAbsoluteFormRequestIsForwardedInOriginFormWithoutHopByHopHeaders() throws IOException {
		var in = new ByteArrayInputStream(("POST http://Allowed.com/a%2Fb/../c?q=1&r=%00 HTTP/1.1\r\n"
				+ "Host: allowed.com\r\nProxy-Connection: keep-alive\r\nProxy-Authorization: Basic eDp5\r\n"
				+ "Connection: keep-alive, Host\r\nKeep-Alive: 300\r\nUpgrade: h2c\r\nContent-Length: 4\r\n"
				+ "X-Latin: caf\u00e9\r\nUser-Agent: test  \r\n\r\nbody")
			.getBytes(StandardCharsets.ISO_8859_1));

		var request = read(in);

		assertThat(request).isInstanceOfSatisfying(Http.class, http -> {
			assertThat(http.host()).isEqualTo("allowed.com");
			assertThat(http.port()).isEqualTo(80);
		});
		assertThat(upstream(request)).isEqualTo("POST /a%2Fb/../c?q=1&r=%00 HTTP/1.1\r\nHost: allowed.com\r\n"
				+ "Content-Length: 4\r\nX-Latin: caf\u00e9\r\nUser-Agent: test\r\nConnection: close\r\n\r\n");
		assertThat(in.readAllBytes()).asString().isEqualTo("body");
	}

	@Test
	void aPipelinedSecondRequestIsLeftUnreadForTheSameDestination() throws IOException {
		var second = "GET http://evil.com/ HTTP/1.1\r\nHost: evil.com\r\n\r\n";
		var in = new ByteArrayInputStream(("GET http://allowed.com/ HTTP/1.1\r\nHost: allowed.com\r\n\r\n" + second)
			.getBytes(StandardCharsets.ISO_8859_1));

		var request = read(in);

		assertThat(request).isInstanceOfSatisfying(Http.class, http -> {
			assertThat(http.host()).isEqualTo("allowed.com");
			assertThat(http.bodyLength()).isZero(); // what follows is never sent on
		});
		assertThat(upstream(request)).endsWith("Connection: close\r\n\r\n");
		assertThat(in.readAllBytes()).asString().isEqualTo(second);
	}

	@Test
	void aMissingHostIsAddedFromTheUri() {
		assertThat(upstream(read("GET http://allowed.com HTTP/1.0\r\n\r\n")))
			.isEqualTo("GET / HTTP/1.0\r\nHost: allowed.com\r\nConnection: close\r\n\r\n");
		assertThat(upstream(read("GET http://allowed.com:8080?x=1 HTTP/1.1\r\n\r\n")))
			.isEqualTo("GET /?x=1 HTTP/1.1\r\nHost: allowed.com:8080\r\nConnection: close\r\n\r\n");
		var v6 = read("GET http://[2001:db8::1]:8080/ HTTP/1.1\r\nHost: [2001:DB8::1]:8080\r\n\r\n");
		assertThat(v6).isInstanceOfSatisfying(Http.class, http -> {
			assertThat(http.host()).isEqualTo("[2001:db8::1]");
			assertThat(http.port()).isEqualTo(8080);
		});
	}

	@Test
	void theHostHeaderMustNameTheUrisAuthority() {
		assertThat(read("GET http://allowed.com/ HTTP/1.1\r\nHost: ALLOWED.com.:80\r\n\r\n")).isInstanceOf(Http.class);
		assertThat(malformed("GET http://allowed.com/ HTTP/1.1\r\nHost: evil.com\r\n\r\n"))
			.isEqualTo("Host header differs from the URI");
		malformed("GET http://allowed.com/ HTTP/1.1\r\nHost: allowed.com:8080\r\n\r\n");
		malformed("GET http://allowed.com/ HTTP/1.1\r\nHost: allowed.com@evil.com\r\n\r\n");
		malformed("GET http://allowed.com/ HTTP/1.1\r\nHost:\r\n\r\n");
		malformed("GET http://allowed.com/ HTTP/1.1\r\nHost: allowed.com, evil.com\r\n\r\n");
		assertThat(malformed("GET http://allowed.com/ HTTP/1.1\r\nHost: allowed.com\r\nhost: evil.com\r\n\r\n"))
			.isEqualTo("more than one Host header");
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://allowed@evil.com/", "http://allowed.com:80@evil.com/",
			"http://user:pw@allowed.com/", "http://allowed.com\\@evil.com/", "http://evil.com\\.allowed.com/",
			"http://allowed%2ecom/", "http://evil.com%00.allowed.com/", "http://[fe80::1%25eth0]/",
			"http://allowed.com:0/", "http://allowed.com:65536/", "http://allowed.com:080/", "http://allowed.com:/",
			"http://allowed.com:80:80/", "http:///path", "http://allowed.com/#frag", "https://allowed.com/",
			"ftp://allowed.com/", "/index.html", "*", "allowed.com:80", "http:allowed.com/", "http://\u00e9vil.com/",
			"http://allowed.com/\u00e9" })
	void anUnclearDestinationIsRefused(String target) {
		malformed("GET " + target + " HTTP/1.1\r\n\r\n");
	}

	@Test
	void aVeryLongHostIsRefused() {
		var host = "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(61);
		assertThat(read("CONNECT " + host + ":443 HTTP/1.1\r\n\r\n")).isEqualTo(new Connect(host, 443));
		malformed("CONNECT " + host + "e:443 HTTP/1.1\r\n\r\n");
	}

	@Test
	void lineEndsAreCrlfAndNothingElse() {
		assertThat(malformed("GET http://allowed.com/ HTTP/1.1\nHost: allowed.com\r\n\r\n")).isEqualTo("bare LF");
		assertThat(malformed("GET http://allowed.com/ HTTP/1.1\r\nHost: allowed.com\rX-Evil: 1\r\n\r\n"))
			.isEqualTo("bare CR");
		malformed("GET http://allowed.com/\rHost: evil.com HTTP/1.1\r\n\r\n");
		malformed("GET http://allowed.com/ HTTP/1.1\r\n\n");
		malformed("\r\nGET http://allowed.com/ HTTP/1.1\r\n\r\n");
		malformed("GET http://allowed.com/ HTTP/1.1\r\nX-Folded: a\r\n b\r\n\r\n");
		malformed("GET http://allowed.com/ HTTP/1.1\r\nX-Nul: a\u0000b\r\n\r\n");
		malformed("GET http://allowed.com/ HTTP/1.1\r\nX-Del: a\u007fb\r\n\r\n");
		malformed("GET http://allowed.com/ HTTP/1.1\r\nX-Esc: \u001b[2J\r\n\r\n");
		malformed("GET http://allowed.com/ HTTP/1.1\r\nHost : allowed.com\r\n\r\n");
		malformed("GET http://allowed.com/ HTTP/1.1\r\nNo colon\r\n\r\n");
		malformed("GET http://allowed.com/ HTTP/1.1\r\n: empty name\r\n\r\n");
	}

	@Test
	void theRequestLineIsStrict() {
		malformed("GET  http://allowed.com/ HTTP/1.1\r\n\r\n");
		malformed("GET http://allowed.com/ HTTP/1.1 \r\n\r\n");
		malformed("GET http://allowed.com/ http/1.1\r\n\r\n");
		malformed("GET http://allowed.com/ HTTP/2.0\r\n\r\n");
		malformed("GET http://allowed.com/\r\n\r\n");
		malformed("G(T http://allowed.com/ HTTP/1.1\r\n\r\n");
		malformed("GET\thttp://allowed.com/ HTTP/1.1\r\n\r\n");
	}

	@Test
	void theBodysEndMustBeUnambiguous() {
		assertThat(read("POST http://a.com/ HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n"))
			.isInstanceOfSatisfying(Http.class, http -> assertThat(http.bodyLength()).isEqualTo(RequestBody.CHUNKED));
		assertThat(read("POST http://a.com/ HTTP/1.1\r\nContent-Length: 12\r\n\r\n")).isInstanceOfSatisfying(Http.class,
				http -> assertThat(http.bodyLength()).isEqualTo(12));
		malformed("POST http://a.com/ HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n");
		malformed("POST http://a.com/ HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n");
		malformed("POST http://a.com/ HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n");
		malformed("POST http://a.com/ HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n");
		malformed("POST http://a.com/ HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n");
		malformed("POST http://a.com/ HTTP/1.1\r\nContent-Length: 5, 5\r\n\r\n");
		malformed("POST http://a.com/ HTTP/1.1\r\nContent-Length: -1\r\n\r\n");
	}

	@Test
	void aHeadIsAtMost64KiB() {
		var prefix = "GET http://allowed.com/ HTTP/1.1\r\nX-Pad: ";
		var fits = prefix + "a".repeat(ProxyRequest.MAX_HEAD - prefix.length() - 4) + "\r\n\r\n";
		assertThat(fits).hasSize(ProxyRequest.MAX_HEAD);
		assertThat(read(fits)).isInstanceOf(Http.class);

		var tooLarge = prefix + "a".repeat(ProxyRequest.MAX_HEAD - prefix.length() - 3) + "\r\n\r\n";
		assertThat(malformed(tooLarge)).isEqualTo("head too large");
		assertThat(malformed(prefix + "a".repeat(10 * ProxyRequest.MAX_HEAD))).isEqualTo("head too large");
	}

	@Test
	void aHeadCutShortIsRefused() {
		assertThat(malformed("")).isEqualTo("incomplete head");
		assertThat(malformed("CONNECT allowed.com:443 HTTP/1.1\r\n")).isEqualTo("incomplete head");
		assertThat(malformed("CONNECT allowed.com:443 HTTP/1.1\r\n\r")).isEqualTo("incomplete head");
		assertThat(malformed("CONNECT allowed.com:4")).isEqualTo("incomplete head");
	}

}
