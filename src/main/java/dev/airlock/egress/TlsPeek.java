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
 * refused, never let through unread. Bytes that do not open a handshake record are not
 * TLS; they go on (the tunnel's destination was decided already; SSH to an allowed host,
 * say)
 */
record TlsPeek(byte[] bytes, int length, @Nullable String serverName, boolean unreadable) {

	/** The first byte of a TLS handshake record. */
	private static final int HANDSHAKE_RECORD = 0x16;

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
					return new TlsPeek(buffer, length, null, (buffer[0] & 0xff) == HANDSHAKE_RECORD);
				}
				case ClientHello.Sni.NeedMore more -> {
					// read on
				}
			}
		}
		return new TlsPeek(buffer, length, null, true);
	}

}
