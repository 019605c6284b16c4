package dev.airlock.egress;

import java.io.IOException;
import java.io.InputStream;

import org.jspecify.annotations.Nullable;

/**
 * The first bytes a client sends through a tunnel, read only as far as needed to know
 * whether they open a TLS handshake and which server name it asks for. Nothing is
 * decrypted or changed; the bytes go on as they came.
 *
 * @param bytes what was read
 * @param length how much of {@code bytes}
 * @param serverName the handshake's server name, or {@code null} when it is not TLS or
 * names none
 * @param unreadable bytes that open a TLS handshake record but are no ClientHello that
 * can be read without guessing (cut up oddly, two names, lying lengths, too large):
 * refused, never let through unread; so are bytes that open a TLS record of another type.
 * Bytes that do not open a TLS record are not TLS; they go on (the tunnel's destination
 * was decided already; SSH to an allowed host, say)
 */
record TlsPeek(byte[] bytes, int length, @Nullable String serverName, boolean unreadable) {

	/**
	 * The first byte of a TLS record: change_cipher_spec, alert, handshake,
	 * application_data, heartbeat. Some TLS stacks skip a record of another type (a
	 * warning alert, say) before the ClientHello: whatever opens with one is TLS, and
	 * must open with the ClientHello.
	 */
	private static final int FIRST_RECORD_TYPE = 0x14;

	private static final int LAST_RECORD_TYPE = 0x18;

	static TlsPeek read(InputStream in) throws IOException {
		var buffer = new byte[ClientHello.MAX_BUFFER];
		var length = 0;
		while (length < buffer.length) {
			var n = in.read(buffer, length, buffer.length - length);
			if (n < 0) { // the client hung up part-way: what came goes on, nothing
							// follows
				return new TlsPeek(buffer, length, null, false);
			}
			length += n;
			switch (ClientHello.sni(buffer, length)) {
				case ClientHello.Sni.Name name -> {
					return new TlsPeek(buffer, length, name.name(), false);
				}
				case ClientHello.Sni.NoName none -> {
					return new TlsPeek(buffer, length, null, false);
				}
				case ClientHello.Sni.NotTls notTls -> {
					var first = buffer[0] & 0xff;
					return new TlsPeek(buffer, length, null, first >= FIRST_RECORD_TYPE && first <= LAST_RECORD_TYPE);
				}
				case ClientHello.Sni.NeedMore more -> {
					// read on
				}
			}
		}
		return new TlsPeek(buffer, length, null, true);
	}

}
