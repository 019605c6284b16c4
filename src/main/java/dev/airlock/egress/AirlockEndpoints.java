package dev.airlock.egress;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import dev.airlock.core.IpLiteral;
import dev.airlock.policy.EgressRule;
import org.springframework.core.env.PropertyResolver;

/**
 * Where Airlock itself and what it depends on listen: its server and management ports (as
 * bound, {@code local.server.port}, and as configured), its database (the datasource URL)
 * and a {@code tcp://} Docker engine. Read from the environment's properties, so the
 * egress module needs no other module's types.
 */
final class AirlockEndpoints {

	/**
	 * How long resolved database and engine addresses are used before resolving again.
	 */
	static final Duration REFRESH = Duration.ofSeconds(30);

	private static final int POSTGRES_PORT = 5432;

	record Endpoint(InetAddress address, int port) {
	}

	private final PropertyResolver properties;

	private final Supplier<String> databaseUrl;

	private final Resolver resolver;

	private final Duration resolveTimeout;

	private volatile Set<Endpoint> endpoints = Set.of();

	private volatile long resolvedAt = Long.MIN_VALUE;

	AirlockEndpoints(PropertyResolver properties, Supplier<String> databaseUrl, Resolver resolver,
			Duration resolveTimeout) {
		this.properties = properties;
		this.databaseUrl = databaseUrl;
		this.resolver = resolver;
		this.resolveTimeout = resolveTimeout;
	}

	private volatile Set<Integer> ports = Set.of();

	private volatile long portsReadAt = Long.MIN_VALUE;

	/**
	 * Airlock's own ports: the server's and the management server's, bound and
	 * configured; read again every {@link #REFRESH} (the bound ones are known only once
	 * the server runs), not on every connection.
	 */
	Set<Integer> ports() {
		var now = System.nanoTime();
		if (portsReadAt == Long.MIN_VALUE || now - portsReadAt >= REFRESH.toNanos()) {
			ports = readPorts();
			// until the server is bound its port is not known: read again next time
			portsReadAt = properties.containsProperty("local.server.port") ? now : Long.MIN_VALUE;
		}
		return ports;
	}

	private Set<Integer> readPorts() {
		var ports = new HashSet<Integer>();
		for (var key : List.of("local.server.port", "local.management.port", "management.server.port")) {
			var port = properties.getProperty(key, Integer.class);
			if (port != null && port > 0) {
				ports.add(port);
			}
		}
		ports.add(properties.getProperty("server.port", Integer.class, 8080));
		return Set.copyOf(ports);
	}

	/** Whether {@code address:port} is Airlock's database or its Docker engine. */
	boolean isDependency(InetAddress address, int port) {
		var now = System.nanoTime();
		if (resolvedAt == Long.MIN_VALUE || now - resolvedAt >= REFRESH.toNanos()) {
			endpoints = resolve();
			resolvedAt = now;
		}
		return endpoints.contains(new Endpoint(address, port));
	}

	private Set<Endpoint> resolve() {
		var named = new ArrayList<HostPort>();
		var url = databaseUrl.get();
		if (url.startsWith("jdbc:")) {
			named.addAll(databaseHosts(url));
		}
		var docker = URI.create(properties.getProperty("airlock.runtime.docker.host", "unix:///"));
		if ("tcp".equals(docker.getScheme()) && docker.getHost() != null) {
			var tls = properties.getProperty("airlock.runtime.docker.tls-verify", Boolean.class, false);
			named.add(new HostPort(docker.getHost(), docker.getPort() > 0 ? docker.getPort() : tls ? 2376 : 2375));
		}
		var resolved = new HashSet<Endpoint>();
		for (var hostPort : named) {
			for (var address : addresses(hostPort.host())) {
				resolved.add(new Endpoint(address, hostPort.port()));
			}
		}
		return Set.copyOf(resolved);
	}

	private List<InetAddress> addresses(String host) {
		var literal = EgressRule.literal(host);
		if (literal != null) {
			return List.of(literal);
		}
		try {
			return resolver.resolve(host, resolveTimeout)
				.stream()
				.map(address -> IpLiteral.address(address.getAddress()))
				.toList();
		}
		catch (UnknownHostException | TimeoutException e) {
			return List.of(); // a database or engine with no address cannot be reached
								// either
		}
	}

	record HostPort(String host, int port) {
	}

	/**
	 * The hosts of a JDBC URL: {@code jdbc:postgresql://host1:5432,[::1]:5433/db};
	 * without {@code //}, the driver's own default of localhost.
	 */
	static List<HostPort> databaseHosts(String url) {
		var start = url.indexOf("//");
		if (start < 0) {
			return List.of(new HostPort("localhost", POSTGRES_PORT));
		}
		var rest = url.substring(start + 2);
		var end = rest.length();
		for (var stop : new char[] { '/', '?' }) {
			var at = rest.indexOf(stop);
			end = at >= 0 ? Math.min(end, at) : end;
		}
		var hosts = new ArrayList<HostPort>();
		for (var authority : rest.substring(0, end).split(",")) {
			var colon = authority.lastIndexOf(':');
			var bracketed = authority.lastIndexOf(']');
			var hasPort = colon > bracketed && authority.substring(colon + 1).matches("[0-9]{1,5}");
			var host = hasPort ? authority.substring(0, colon) : authority;
			if (!host.isEmpty()) {
				hosts.add(new HostPort(host.toLowerCase(Locale.ROOT),
						hasPort ? Integer.parseInt(authority.substring(colon + 1)) : POSTGRES_PORT));
			}
		}
		return hosts;
	}

}
