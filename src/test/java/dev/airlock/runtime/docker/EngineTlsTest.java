package dev.airlock.runtime.docker;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import com.github.dockerjava.core.LocalDirectorySSLConfig;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * An engine over TCP with TLS, as a shared engine is reached: both clients (docker-java's
 * and the raw one of the agent channels) present the client certificate and check the
 * engine's against the CA, given {@code tls-verify} and {@code cert-path}. The engine
 * here is a TLS server that demands a client certificate and answers one request.
 */
class EngineTlsTest {

	@TempDir
	static Path folder;

	static Path clientFiles;

	static SSLContext engineContext;

	@BeforeAll
	static void certificates() throws Exception {
		var ca = keys();
		var caCert = certificate("CN=test-ca", ca, "CN=test-ca", ca, true);
		var engine = keys();
		var engineCert = certificate("CN=localhost", engine, "CN=test-ca", ca, false);
		var client = keys();
		var clientCert = certificate("CN=airlock", client, "CN=test-ca", ca, false);

		clientFiles = Files.createDirectory(folder.resolve("client"));
		pem(clientFiles.resolve("ca.pem"), caCert);
		pem(clientFiles.resolve("cert.pem"), clientCert);
		pem(clientFiles.resolve("key.pem"), client.getPrivate());

		var keyStore = KeyStore.getInstance("PKCS12");
		keyStore.load(null, null);
		keyStore.setKeyEntry("engine", engine.getPrivate(), new char[0], new Certificate[] { engineCert, caCert });
		var keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		keyManagers.init(keyStore, new char[0]);
		var trustStore = KeyStore.getInstance("PKCS12");
		trustStore.load(null, null);
		trustStore.setCertificateEntry("ca", caCert);
		var trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trustManagers.init(trustStore);
		engineContext = SSLContext.getInstance("TLS");
		engineContext.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
	}

	@Test
	void theDockerClientIsConfiguredWithTheCertificatesWhenTlsIsOn() {
		var config = DockerRuntimeConfiguration.clientConfig(settings(URI.create("tcp://engine.example:2376"), true));

		assertThat(config.getSSLConfig()).isInstanceOfSatisfying(LocalDirectorySSLConfig.class,
				ssl -> assertThat(ssl.getDockerCertPath()).isEqualTo(clientFiles.toString()));
		assertThat(DockerRuntimeConfiguration.clientConfig(settings(URI.create("tcp://engine.example:2375"), false))
			.getSSLConfig()).isNull();
	}

	@Test
	void tlsWithoutATcpHostOrWithoutCertificatesStopsTheStart() {
		assertThatThrownBy(() -> DockerRuntimeConfiguration
			.clientConfig(settings(URI.create("unix:///var/run/docker.sock"), true))).hasMessageContaining("tcp://");
		var noFiles = new DockerSettings(URI.create("tcp://engine.example:2376"), Duration.ofSeconds(1),
				Duration.ofSeconds(5), 10, DockerSettings.PullPolicy.NEVER, Duration.ofMinutes(1),
				DataSize.ofMegabytes(1), folder, true, null);
		assertThatThrownBy(() -> DockerRuntimeConfiguration.clientConfig(noFiles)).hasMessageContaining("cert-path");
	}

	@Test
	void bothClientsSpeakTlsWithTheClientCertificate() throws Exception {
		try (var server = (SSLServerSocket) engineContext.getServerSocketFactory()
			.createServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
			server.setNeedClientAuth(true);
			var settings = settings(URI.create("tcp://localhost:" + server.getLocalPort()), true);
			var requests = CompletableFuture.supplyAsync(() -> answerTwo(server));

			try (var connection = EngineConnection.open(settings)) {
				connection.send("GET", "/containers/airlock-x/json", Map.of());
				var response = connection.readResponse();
				assertThat(response.status()).isEqualTo(200);
				assertThat(new String(connection.responseBody(response).readAllBytes(), StandardCharsets.UTF_8))
					.isEqualTo("OK");
			}
			try (var docker = new DockerRuntimeConfiguration().dockerClient(settings)) {
				docker.pingCmd().exec();
			}

			assertThat(requests.get()).startsWith("CN=airlock");
		}
	}

	@Test
	void anEngineThatStallsOverTlsCostsTheCallItsDeadlineNotAThread() throws Exception {
		try (var server = (SSLServerSocket) engineContext.getServerSocketFactory()
			.createServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
			server.setNeedClientAuth(true);
			var silent = CompletableFuture.runAsync(() -> {
				try (var socket = (SSLSocket) server.accept()) {
					socket.startHandshake();
					socket.getInputStream().read(); // and never an answer
					socket.getInputStream().readAllBytes();
				}
				catch (IOException e) {
					// the client gave up
				}
			});
			var host = URI.create("tcp://localhost:" + server.getLocalPort());
			var settings = new DockerSettings(host, Duration.ofSeconds(5), Duration.ofSeconds(1), 10,
					DockerSettings.PullPolicy.NEVER, Duration.ofMinutes(1), DataSize.ofMegabytes(1), folder, true,
					clientFiles);

			assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
				try (var connection = EngineConnection.open(settings)) {
					connection.send("GET", "/containers/airlock-x/json", Map.of());
					assertThatThrownBy(connection::readResponse).isInstanceOf(SocketTimeoutException.class);
				}
			});
			silent.get();
		}
	}

	/** Answers two requests; says who the client was. */
	private static String answerTwo(SSLServerSocket server) {
		String client = null;
		for (int i = 0; i < 2; i++) {
			try (var socket = (SSLSocket) server.accept()) {
				var in = socket.getInputStream();
				for (int last4 = 0; last4 != 0x0d0a0d0a;) { // the request's head
					int b = in.read();
					if (b < 0) {
						throw new IOException("the client went away");
					}
					last4 = (last4 << 8) | b;
				}
				client = socket.getSession().getPeerPrincipal().getName();
				socket.getOutputStream()
					.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nOK"
						.getBytes(StandardCharsets.US_ASCII));
			}
			catch (IOException e) {
				throw new IllegalStateException(e);
			}
		}
		return client;
	}

	private static DockerSettings settings(URI host, boolean tls) {
		return new DockerSettings(host, Duration.ofSeconds(5), Duration.ofSeconds(5), 10,
				DockerSettings.PullPolicy.NEVER, Duration.ofMinutes(1), DataSize.ofMegabytes(1), folder, tls,
				clientFiles);
	}

	private static KeyPair keys() throws Exception {
		var generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		return generator.generateKeyPair();
	}

	private static X509Certificate certificate(String subject, KeyPair subjectKeys, String issuer, KeyPair issuerKeys,
			boolean authority) throws Exception {
		var now = Instant.now();
		var builder = new JcaX509v3CertificateBuilder(new X500Name(issuer), BigInteger.valueOf(now.toEpochMilli()),
				Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofHours(1))), new X500Name(subject),
				subjectKeys.getPublic());
		builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
		if (!authority) {
			builder.addExtension(Extension.subjectAlternativeName, false,
					new GeneralNames(new GeneralName[] { new GeneralName(GeneralName.dNSName, "localhost"),
							new GeneralName(GeneralName.iPAddress, "127.0.0.1") }));
		}
		var signer = new JcaContentSignerBuilder("SHA256withRSA").build(issuerKeys.getPrivate());
		return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
	}

	private static void pem(Path file, Object value) throws IOException {
		try (Writer out = Files.newBufferedWriter(file); var pem = new JcaPEMWriter(out)) {
			pem.writeObject(value);
		}
	}

}
