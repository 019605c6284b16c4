package dev.airlock.runtime.docker;

import java.nio.file.Files;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Builds the Docker client from {@code airlock.runtime.docker.*} only; no ambient
 * DOCKER_* variables or files.
 */
@Configuration(proxyBeanMethods = false)
class DockerRuntimeConfiguration {

	@Bean(destroyMethod = "close")
	DockerClient dockerClient(DockerSettings settings) {
		var config = clientConfig(settings);
		var http = new ZerodepDockerHttpClient.Builder().dockerHost(config.getDockerHost())
			.sslConfig(config.getSSLConfig())
			.connectionTimeout(settings.connectTimeout())
			.responseTimeout(settings.responseTimeout())
			.maxConnections(settings.maxConnections())
			.build();
		return DockerClientImpl.getInstance(config,
				new DeadlineHttpClient(http, settings.responseTimeout(), settings.pullTimeout()));
	}

	/**
	 * The engine's address and, with {@code tls-verify}, the client certificate, key and
	 * CA the connection is made with (a TLS engine is never spoken to in clear).
	 */
	static DefaultDockerClientConfig clientConfig(DockerSettings settings) {
		var config = new DefaultDockerClientConfig.Builder().withDockerHost(settings.host().toString())
			.withDockerTlsVerify(settings.tlsVerify());
		if (settings.tlsVerify()) {
			var certPath = settings.certPath();
			if (!"tcp".equals(settings.host().getScheme())) {
				throw new IllegalStateException(
						"airlock.runtime.docker.tls-verify needs a tcp:// host; it is " + settings.host());
			}
			if (certPath == null || !Files.isDirectory(certPath)) {
				throw new IllegalStateException(
						"airlock.runtime.docker.tls-verify needs airlock.runtime.docker.cert-path:"
								+ " a directory with ca.pem, cert.pem and key.pem; it is " + certPath);
			}
			config.withDockerCertPath(certPath.toString());
		}
		return config.build();
	}

}
