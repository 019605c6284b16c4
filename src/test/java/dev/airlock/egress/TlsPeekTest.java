package dev.airlock.egress;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static dev.airlock.egress.ClientHelloTest.concat;
import static dev.airlock.egress.ClientHelloTest.hello;
import static dev.airlock.egress.ClientHelloTest.record;
import static dev.airlock.egress.ClientHelloTest.serverName;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a tunnel's first bytes tell the gateway, attacked with records put before the
 * ClientHello.
 */
class TlsPeekTest {

	static TlsPeek peek(byte[] bytes) throws IOException {
		return TlsPeek.read(new ByteArrayInputStream(bytes));
	}

	@Test
	void aClientHelloIsReadForItsName() throws IOException {
		var peek = peek(record(hello(serverName("evil.test"))));

		assertThat(peek.serverName()).isEqualTo("evil.test");
		assertThat(peek.unreadable()).isFalse();
	}

	@Test
	void anyOtherTlsRecordBeforeTheClientHelloIsRefusedNotPassedOnUnread() throws IOException {
		var evil = record(hello(serverName("evil.test")));
		// a warning alert (user_canceled), a ChangeCipherSpec, application data, a
		// heartbeat: some TLS stacks skip one before the handshake; the name after it
		// would go on unchecked
		var prefixes = new byte[][] { { 0x15, 3, 1, 0, 2, 1, 90 }, { 0x14, 3, 1, 0, 1, 1 }, { 0x17, 3, 3, 0, 1, 0 },
				{ 0x18, 3, 3, 0, 1, 0 } };
		for (var prefix : prefixes) {
			var peek = peek(concat(prefix, evil));

			assertThat(peek.unreadable()).as("after a record of type %d", prefix[0]).isTrue();
		}
	}

	@Test
	void bytesThatAreNoTlsRecordGoOn() throws IOException {
		var peek = peek("SSH-2.0-OpenSSH_9.6\r\n".getBytes(StandardCharsets.US_ASCII));

		assertThat(peek.unreadable()).isFalse();
		assertThat(peek.serverName()).isNull();
		assertThat(peek.length()).isEqualTo(21);
	}

}
