package dev.airlock.runtime.docker;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How Airlock reaches and uses the Docker Engine.
 *
 * @param host the Engine API endpoint ({@code unix:///var/run/docker.sock} or
 * {@code tcp://host:2375})
 * @param connectTimeout how long to wait for a connection before calling the runtime
 * unavailable
 * @param responseTimeout how long one API call may take
 * @param maxConnections the connection pool's size
 * @param pullPolicy whether a missing image is pulled ({@code IF_MISSING}) or refused
 * ({@code NEVER})
 * @param pullTimeout how long a pull may take before the create fails
 * @param agentLogSize how much of the main command's output each sandbox's agent keeps
 * (its memory is charged to the sandbox)
 * @param cgroupRoot where this host sees the engine's cgroups, for kernel counters the
 * stats API lacks
 * @param tlsVerify whether the engine ({@code tcp://} only) is reached over TLS, with a
 * client certificate, verifying the engine's certificate against the CA and its host name
 * @param certPath with {@code tlsVerify}: the directory with {@code ca.pem},
 * {@code cert.pem} and {@code key.pem}, as Docker's own clients expect it
 */
@ConfigurationProperties("airlock.runtime.docker")
public record DockerSettings(@DefaultValue("unix:///var/run/docker.sock") URI host,
		@DefaultValue("5s") Duration connectTimeout, @DefaultValue("60s") Duration responseTimeout,
		@DefaultValue("100") int maxConnections, @DefaultValue("IF_MISSING") PullPolicy pullPolicy,
		@DefaultValue("5m") Duration pullTimeout, @DefaultValue("1MB") DataSize agentLogSize,
		@DefaultValue("/sys/fs/cgroup") Path cgroupRoot, @DefaultValue("false") boolean tlsVerify,
		@Nullable Path certPath) {

	/** Whether images that are not on the host are pulled. */
	public enum PullPolicy {

		IF_MISSING, NEVER

	}
}
