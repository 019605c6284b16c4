package dev.airlock.egress;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;

import dev.airlock.egress.ClientHello.Sni;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The SNI of TLS ClientHellos, whole, cut and forged. */
class ClientHelloTest {

	static Sni sni(byte[] bytes) {
		return ClientHello.sni(bytes, bytes.length);
	}

	static byte[] concat(byte[]... parts) {
		var out = new ByteArrayOutputStream();
		for (var part : parts) {
			out.writeBytes(part);
		}
		return out.toByteArray();
	}

	static byte[] u16(int value) {
		return new byte[] { (byte) (value >> 8), (byte) value };
	}

	static byte[] extension(int type, byte[] data) {
		return concat(u16(type), u16(data.length), data);
	}

	static byte[] entry(int type, byte[] name) {
		return concat(new byte[] { (byte) type }, u16(name.length), name);
	}

	static byte[] serverName(byte[]... entries) {
		var list = concat(entries);
		return extension(0, concat(u16(list.length), list));
	}

	static byte[] serverName(String name) {
		return serverName(entry(0, name.getBytes(StandardCharsets.ISO_8859_1)));
	}

	/**
	 * A ClientHello handshake message with these extensions (none: no extensions block).
	 */
	static byte[] hello(byte[]... extensions) {
		var fixed = concat(new byte[] { 3, 3 }, new byte[32], new byte[] { 0 }, u16(2), new byte[] { 0x13, 0x01 },
				new byte[] { 1, 0 });
		var all = concat(extensions);
		var body = extensions.length == 0 ? fixed : concat(fixed, u16(all.length), all);
		return concat(new byte[] { 1, 0 }, u16(body.length), body);
	}

	/** The handshake in records of at most {@code size} bytes. */
	static byte[] records(byte[] handshake, int size) {
		var out = new ByteArrayOutputStream();
		for (int at = 0; at < handshake.length; at += size) {
			var length = Math.min(size, handshake.length - at);
			out.writeBytes(concat(new byte[] { 0x16, 3, 1 }, u16(length)));
			out.write(handshake, at, length);
		}
		return out.toByteArray();
	}

	static byte[] record(byte[] handshake) {
		return records(handshake, handshake.length);
	}

	static byte[] realClientHello(String serverName) throws Exception {
		var engine = serverName == null ? SSLContext.getDefault().createSSLEngine()
				: SSLContext.getDefault().createSSLEngine(serverName, 443);
		engine.setUseClientMode(true);
		if (serverName != null) {
			var parameters = engine.getSSLParameters();
			parameters.setServerNames(List.of(new SNIHostName(serverName)));
			engine.setSSLParameters(parameters);
		}
		var out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
		engine.wrap(ByteBuffer.allocate(0), out);
		return Arrays.copyOf(out.array(), out.position());
	}

	@Test
	void theJdksOwnClientHelloIsRead() throws Exception {
		assertThat(sni(realClientHello("allowed.test"))).isEqualTo(new Sni.Name("allowed.test"));
		assertThat(sni(realClientHello(null))).isEqualTo(new Sni.NoName());
	}

	@Test
	void theNameIsLowercasedAndOtherExtensionsAreSkipped() {
		var hello = hello(extension(0x000a, new byte[] { 0, 2, 0, 0x1d }), serverName("Allowed.TEST"),
				extension(0x002b, new byte[] { 2, 3, 4 }));

		assertThat(sni(record(hello))).isEqualTo(new Sni.Name("allowed.test"));
		assertThat(sni(record(hello()))).as("no extensions").isEqualTo(new Sni.NoName());
		assertThat(sni(record(hello(extension(0x000a, new byte[] { 0, 2, 0, 0x1d }))))).isEqualTo(new Sni.NoName());
	}

	@Test
	void aClientHelloSplitAnywhereOverRecordsIsReassembled() {
		var hello = hello(extension(0x000a, new byte[] { 0, 2, 0, 0x1d }), serverName("allowed.test"));
		for (int size = 1; size <= hello.length; size++) {
			assertThat(sni(records(hello, size))).as("records of %d bytes", size)
				.isEqualTo(new Sni.Name("allowed.test"));
		}
		var followedByData = concat(record(hello), new byte[] { 0x17, 3, 3, 0, 1, 42 });
		assertThat(sni(followedByData)).isEqualTo(new Sni.Name("allowed.test"));
	}

	@Test
	void everyProperBeginningAsksForMore() {
		var whole = records(hello(serverName("allowed.test")), 7);
		for (int length = 0; length < whole.length; length++) {
			assertThat(ClientHello.sni(whole, length)).as("the first %d bytes", length).isEqualTo(new Sni.NeedMore());
		}
		assertThat(ClientHello.sni(whole, whole.length)).isEqualTo(new Sni.Name("allowed.test"));
	}

	@Test
	void whatIsNotAClientHelloRecordIsNotTls() {
		var hello = hello(serverName("allowed.test"));
		var valid = record(hello);

		assertThat(sni("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII))).isEqualTo(new Sni.NotTls());
		assertThat(sni(new byte[] { 'G' })).isEqualTo(new Sni.NotTls());
		assertThat(sni(new byte[] { 0x16, 2 })).as("SSL 2").isEqualTo(new Sni.NotTls());
		assertThat(sni(with(valid, 0, 0x15))).as("an alert").isEqualTo(new Sni.NotTls());
		assertThat(sni(with(valid, 2, 9))).as("an unknown minor version").isEqualTo(new Sni.NotTls());
		assertThat(sni(with(valid, 5, 2))).as("a ServerHello").isEqualTo(new Sni.NotTls());
		assertThat(sni(concat(new byte[] { 0x16, 3, 1, 0, 0 }, valid))).as("an empty record")
			.isEqualTo(new Sni.NotTls());
		assertThat(sni(new byte[] { 0x16, 3, 1, 0x40, 1 })).as("a record over 16 KiB").isEqualTo(new Sni.NotTls());
		var split = records(hello, 10);
		var changeCipherSpec = concat(Arrays.copyOf(split, 15), new byte[] { 0x14, 3, 3, 0, 1, 1 },
				Arrays.copyOfRange(split, 15, split.length));
		assertThat(sni(changeCipherSpec)).as("another record between the fragments").isEqualTo(new Sni.NotTls());
		assertThat(sni(new byte[] { 0x16, 3, 1, 0, 4, 1, 0, 0x40, 1 })).as("a ClientHello over 16 KiB")
			.isEqualTo(new Sni.NotTls());
	}

	static byte[] with(byte[] bytes, int index, int value) {
		var copy = bytes.clone();
		copy[index] = (byte) value;
		return copy;
	}

	@Test
	void aForgedServerNameIsNotTls() {
		var notTls = List.of(serverName("allowed.test\u0000.evil.com"), serverName("b\u00fccher.example"),
				serverName("allowed.test\r\nx"), serverName("allowed test"), serverName(""),
				serverName("a".repeat(254)),
				serverName(entry(0, "allowed.test".getBytes()), entry(0, "evil.com".getBytes())), serverName(),
				concat(serverName("allowed.test"), serverName("evil.com")),
				extension(0, concat(u16(100), entry(0, "allowed.test".getBytes()))),
				extension(0, concat(u16(15), entry(0, "allowed.test".getBytes()), new byte[] { 0 })));
		for (var forged : notTls) {
			assertThat(sni(record(hello(forged)))).isEqualTo(new Sni.NotTls());
		}
		assertThat(sni(record(hello(extension(0x000a, new byte[0]), extension(0x000a, new byte[0])))))
			.as("a repeated extension")
			.isEqualTo(new Sni.NotTls());
		assertThat(sni(record(hello(serverName(entry(1, "ignored".getBytes())))))).as("no host_name")
			.isEqualTo(new Sni.NoName());
		var lyingLength = hello(serverName("allowed.test"));
		lyingLength[lyingLength.length - serverName("allowed.test").length - 1] += 1;
		assertThat(sni(record(lyingLength))).as("extensions longer than the message").isEqualTo(new Sni.NotTls());
		var trailing = concat(hello(serverName("allowed.test")), new byte[] { 0 });
		trailing[3] += 1;
		assertThat(sni(record(trailing))).as("bytes after the extensions").isEqualTo(new Sni.NotTls());
	}

	@Test
	void aClientHelloThatNeverCompletesIsGivenUpAtTheBufferLimit() {
		var head = new byte[] { 1, 0, 0x3f, (byte) 0xff };
		var oneByteRecords = new ByteArrayOutputStream();
		oneByteRecords.writeBytes(records(head, 1));
		while (oneByteRecords.size() < ClientHello.MAX_BUFFER) {
			oneByteRecords.writeBytes(new byte[] { 0x16, 3, 1, 0, 1, 0 });
		}
		var bytes = oneByteRecords.toByteArray();

		assertThat(ClientHello.sni(bytes, 6 * 1000)).isEqualTo(new Sni.NeedMore());
		assertThat(sni(bytes)).isEqualTo(new Sni.NotTls());
	}

}
