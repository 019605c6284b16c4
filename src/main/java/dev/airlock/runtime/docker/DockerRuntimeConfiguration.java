package dev.airlock.runtime.docker;

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
		var config = new DefaultDockerClientConfig.Builder().withDockerHost(settings.host().toString())
			.withDockerTlsVerify(false)
			.build();
		var http = new ZerodepDockerHttpClient.Builder().dockerHost(settings.host())
			.connectionTimeout(settings.connectTimeout())
			.responseTimeout(settings.responseTimeout())
			.maxConnections(settings.maxConnections())
			.build();
		return DockerClientImpl.getInstance(config,
				new DeadlineHttpClient(http, settings.responseTimeout(), settings.pullTimeout()));
	}

}
