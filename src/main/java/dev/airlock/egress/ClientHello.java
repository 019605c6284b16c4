package dev.airlock.egress;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * The server name (SNI) a TLS client asks for, read from its ClientHello without
 * terminating TLS. The ClientHello may be split over several records (a client or an
 * evasion tool may cut it anywhere); it is reassembled up to {@link #MAX_HANDSHAKE}
 * bytes. Anything unusual — another record type first, a duplicate extension, two names,
 * a name that is not printable ASCII — is {@link Sni.NotTls}: refused, never guessed.
 */
public final class ClientHello {

	/** The largest ClientHello message reassembled. */
	public static final int MAX_HANDSHAKE = 16 * 1024;

	/** The most bytes worth buffering: past this without an answer, it is not TLS. */
	public static final int MAX_BUFFER = 32 * 1024;

	private static final int HANDSHAKE = 0x16;

	private static final int CLIENT_HELLO = 0x01;

	private static final int SERVER_NAME = 0x0000;

	private static final int MAX_RECORD = 16 * 1024;

	private ClientHello() {
	}

	/** What the first bytes a client sent tell of the name it asks for. */
	public sealed interface Sni {

		/** Not a TLS ClientHello, or one that cannot be read without guessing. */
		record NotTls() implements Sni {
		}

		/** So far a valid beginning; read more and ask again. */
		record NeedMore() implements Sni {
		}

		/** A ClientHello naming this host (lowercased). */
		record Name(String name) implements Sni {
		}

		/** A ClientHello without a server name. */
		record NoName() implements Sni {
		}

	}

	/** Reads the first {@code length} bytes of {@code buffered}. */
	public static Sni sni(byte[] buffered, int length) {
		var handshake = new ByteArrayOutputStream();
		var at = 0;
		var needed = -1;
		while (needed < 0 || handshake.size() < needed) {
			if (at < length && buffered[at] != HANDSHAKE || at + 1 < length && buffered[at + 1] != 3) {
				return new Sni.NotTls();
			}
			if (at + 5 > length) {
				return length >= MAX_BUFFER ? new Sni.NotTls() : new Sni.NeedMore();
			}
			var recordLength = u16(buffered, at + 3);
			if ((buffered[at + 2] & 0xff) > 4 || recordLength == 0 || recordLength > MAX_RECORD) {
				return new Sni.NotTls();
			}
			if (at + 5 + recordLength > length) {
				return length >= MAX_BUFFER ? new Sni.NotTls() : new Sni.NeedMore();
			}
			handshake.write(buffered, at + 5, recordLength);
			at += 5 + recordLength;
			if (needed < 0 && handshake.size() >= 4) {
				var head = handshake.toByteArray();
				var bodyLength = (head[1] & 0xff) << 16 | u16(head, 2);
				if (head[0] != CLIENT_HELLO || bodyLength > MAX_HANDSHAKE) {
					return new Sni.NotTls();
				}
				needed = 4 + bodyLength;
			}
		}
		try {
			return read(new Cursor(handshake.toByteArray(), 4, needed));
		}
		catch (IndexOutOfBoundsException e) {
			return new Sni.NotTls();
		}
	}

	private static Sni read(Cursor hello) {
		if (hello.u8() != 3) {
			return new Sni.NotTls();
		}
		hello.skip(1 + 32); // minor version, random
		var sessionId = hello.u8();
		if (sessionId > 32) {
			return new Sni.NotTls();
		}
		hello.skip(sessionId);
		var suites = hello.u16();
		if (suites < 2 || suites % 2 != 0) {
			return new Sni.NotTls();
		}
		hello.skip(suites);
		var compressions = hello.u8();
		if (compressions < 1) {
			return new Sni.NotTls();
		}
		hello.skip(compressions);
		if (hello.remaining() == 0) {
			return new Sni.NoName();
		}
		var extensions = hello.slice(hello.u16());
		if (hello.remaining() != 0) {
			return new Sni.NotTls();
		}
		var seen = new HashSet<Integer>();
		Sni found = new Sni.NoName();
		while (extensions.remaining() > 0) {
			var type = extensions.u16();
			var data = extensions.slice(extensions.u16());
			if (!seen.add(type)) {
				return new Sni.NotTls();
			}
			if (type == SERVER_NAME) {
				found = serverName(data);
			}
		}
		return found;
	}

	/** RFC 6066: a non-empty list with at most one host_name (type 0). */
	private static Sni serverName(Cursor extension) {
		var list = extension.slice(extension.u16());
		if (extension.remaining() != 0 || list.remaining() == 0) {
			return new Sni.NotTls();
		}
		@Nullable String name = null;
		while (list.remaining() > 0) {
			var type = list.u8();
			var value = list.slice(list.u16());
			if (type != 0) {
				continue;
			}
			if (name != null || value.remaining() == 0 || value.remaining() > 253) {
				return new Sni.NotTls();
			}
			var bytes = value.rest();
			for (var b : bytes) {
				if (!(b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '.' || b == '-'
						|| b == '_')) {
					return new Sni.NotTls();
				}
			}
			name = new String(bytes, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
		}
		return name == null ? new Sni.NoName() : new Sni.Name(name);
	}

	private static int u16(byte[] bytes, int at) {
		return (bytes[at] & 0xff) << 8 | (bytes[at + 1] & 0xff);
	}

	/** Reads within [at, end); reading past the end throws IndexOutOfBoundsException. */
	private static final class Cursor {

		private final byte[] bytes;

		private int at;

		private final int end;

		Cursor(byte[] bytes, int at, int end) {
			this.bytes = bytes;
			this.at = at;
			this.end = end;
		}

		int remaining() {
			return end - at;
		}

		void skip(int count) {
			if (count > remaining()) {
				throw new IndexOutOfBoundsException(count);
			}
			at += count;
		}

		int u8() {
			skip(1);
			return bytes[at - 1] & 0xff;
		}

		int u16() {
			skip(2);
			return ClientHello.u16(bytes, at - 2);
		}

		Cursor slice(int length) {
			skip(length);
			return new Cursor(bytes, at - length, at);
		}

		byte[] rest() {
			var rest = Arrays.copyOfRange(bytes, at, end);
			at = end;
			return rest;
		}

	}

}
