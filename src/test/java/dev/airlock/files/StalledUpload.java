package dev.airlock.files;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * An upload from a raw socket that declares its length, sends part of the body and then
 * waits, as a stalled or hostile client does, until it is closed (the client goes away).
 */
final class StalledUpload implements AutoCloseable {

	private final Socket socket;

	StalledUpload(URI uri, String key, long declaredLength, int sent) throws IOException {
		this.socket = new Socket(uri.getHost(), uri.getPort());
		var head = "PUT " + uri.getRawPath() + "?" + uri.getRawQuery() + " HTTP/1.1\r\n" + "Host: " + uri.getHost()
				+ "\r\n" + "Authorization: Bearer " + key + "\r\n" + "Content-Type: application/octet-stream\r\n"
				+ "Content-Length: " + declaredLength + "\r\n\r\n";
		var out = socket.getOutputStream();
		out.write(head.getBytes(StandardCharsets.US_ASCII));
		out.write(new byte[sent]);
		out.flush();
	}

	@Override
	public void close() throws IOException {
		socket.close();
	}

}
