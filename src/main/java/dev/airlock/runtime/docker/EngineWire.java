package dev.airlock.runtime.docker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import com.github.dockerjava.core.LocalDirectorySSLConfig;

/**
 * The bytes under an {@link EngineConnection}: a socket channel (Unix or TCP), or a TLS
 * socket to an engine that asks for client certificates. Reads and writes may run on two
 * threads at once; a close from a third thread fails both with
 * {@link ClosedChannelException}, as a channel's would.
 */
interface EngineWire {

	int read(ByteBuffer buffer) throws IOException;

	int write(ByteBuffer buffer) throws IOException;

	void close();

	static EngineWire of(SocketChannel channel) {
		return new EngineWire() {
			@Override
			public int read(ByteBuffer buffer) throws IOException {
				return channel.read(buffer);
			}

			@Override
			public int write(ByteBuffer buffer) throws IOException {
				return channel.write(buffer);
			}

			@Override
			public void close() {
				try {
					channel.close();
				}
				catch (IOException ignored) {
					// nothing left to do
				}
			}
		};
	}

	/**
	 * A TLS connection to {@code address}, made with the client certificate, key and CA
	 * in {@code certPath} ({@code cert.pem}, {@code key.pem}, {@code ca.pem}, as Docker's
	 * clients expect); the engine's certificate must name the host.
	 */
	static EngineWire tls(InetSocketAddress address, Path certPath, int timeoutMillis) throws IOException {
		var plain = new Socket();
		try {
			plain.connect(address, timeoutMillis);
			var socket = (SSLSocket) Tls.factory(certPath)
				.createSocket(plain, address.getHostString(), address.getPort(), true);
			var parameters = socket.getSSLParameters();
			parameters.setEndpointIdentificationAlgorithm("HTTPS");
			socket.setSSLParameters(parameters);
			socket.setSoTimeout(timeoutMillis);
			socket.startHandshake();
			socket.setSoTimeout(0); // from here on, the connection's deadlines
			return new TlsWire(plain, socket);
		}
		catch (IOException | RuntimeException e) {
			plain.close();
			throw e;
		}
	}

	/** One socket factory per certificate directory: the PEM files are read once. */
	final class Tls {

		private static final ConcurrentHashMap<Path, SSLSocketFactory> FACTORIES = new ConcurrentHashMap<>();

		private Tls() {
		}

		static SSLSocketFactory factory(Path certPath) {
			return FACTORIES.computeIfAbsent(certPath, path -> {
				try {
					return new LocalDirectorySSLConfig(path.toString()).getSSLContext().getSocketFactory();
				}
				catch (Exception e) {
					throw new IllegalStateException("The engine's TLS files in " + path + " could not be read", e);
				}
			});
		}

	}

	/**
	 * Stream reads and writes on a TLS socket, shaped as a channel's. A close shuts the
	 * plain socket under it: that fails a blocked read at once, where closing the TLS
	 * socket would first try to say goodbye to a peer that may not be listening.
	 */
	final class TlsWire implements EngineWire {

		private final Socket plain;

		private final InputStream in;

		private final OutputStream out;

		private volatile boolean closed;

		TlsWire(Socket plain, SSLSocket socket) throws IOException {
			this.plain = plain;
			this.in = socket.getInputStream();
			this.out = socket.getOutputStream();
		}

		@Override
		public int read(ByteBuffer buffer) throws IOException {
			try {
				int n = in.read(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
				if (n > 0) {
					buffer.position(buffer.position() + n);
				}
				return n;
			}
			catch (IOException e) {
				throw closedOr(e);
			}
		}

		@Override
		public int write(ByteBuffer buffer) throws IOException {
			int n = buffer.remaining();
			try {
				out.write(buffer.array(), buffer.arrayOffset() + buffer.position(), n);
				out.flush();
			}
			catch (IOException e) {
				throw closedOr(e);
			}
			buffer.position(buffer.position() + n);
			return n;
		}

		@Override
		public void close() {
			closed = true;
			try {
				plain.close();
			}
			catch (IOException ignored) {
				// nothing left to do
			}
		}

		private IOException closedOr(IOException e) {
			return closed ? new ClosedChannelException() : e;
		}

	}

}
