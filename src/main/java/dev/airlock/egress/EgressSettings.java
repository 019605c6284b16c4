package dev.airlock.egress;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.airlock.policy.EgressRule;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the egress gateway decides and connects.
 *
 * @param proxyPort the port of the proxy inside every sandbox with network {@code EGRESS}
 * or {@code BRIDGE} (loopback of its own network namespace)
 * @param hosts names answered before DNS, each with one IP address: a test's names for
 * its own servers, or pinning a name; the address is checked like any answer
 * @param refusedCidrs ranges never reached, even when a policy names them
 * @param connectTimeout how long a connection to a destination may take
 * @param resolveTimeout how long resolving a name may take; past it the request is
 * refused
 * @param maxConnectionsPerSandbox connections through the gateway one sandbox may have
 * open at once, at most {@link #MAX_CONNECTIONS}
 * @param idleTimeout a connection with no bytes either way for this long is closed; so is
 * one whose request head has not come whole within it
 */
@ConfigurationProperties("airlock.egress")
public record EgressSettings(@DefaultValue("3128") int proxyPort, @DefaultValue Map<String, String> hosts,
		@DefaultValue List<String> refusedCidrs, @DefaultValue("10s") Duration connectTimeout,
		@DefaultValue("5s") Duration resolveTimeout, @DefaultValue("32") int maxConnectionsPerSandbox,
		@DefaultValue("10m") Duration idleTimeout) {

	/**
	 * The most connections one sandbox may have through the gateway: each takes a call of
	 * the sandbox's agent session, which serves 56 at once.
	 */
	public static final int MAX_CONNECTIONS = 48;

	public EgressSettings {
		if (proxyPort < 1 || proxyPort > 65535) {
			throw new IllegalArgumentException("airlock.egress.proxy-port must be 1 to 65535");
		}
		if (maxConnectionsPerSandbox < 1 || maxConnectionsPerSandbox > MAX_CONNECTIONS) {
			throw new IllegalArgumentException("airlock.egress.max-connections-per-sandbox must be 1 to "
					+ MAX_CONNECTIONS + " (a sandbox's agent session serves 56 calls at once; execs, transfers"
					+ " and log follows need the rest)");
		}
		if (!connectTimeout.isPositive() || !resolveTimeout.isPositive() || !idleTimeout.isPositive()) {
			throw new IllegalArgumentException(
					"airlock.egress.connect-timeout, resolve-timeout and idle-timeout must be positive");
		}
		hosts = pinned(hosts);
		refusedCidrs = List.copyOf(refusedCidrs);
		refusedRanges(refusedCidrs);
	}

	/** {@code refusedCidrs} read as rules. */
	List<EgressRule> refusedRanges() {
		return refusedRanges(refusedCidrs());
	}

	private static List<EgressRule> refusedRanges(List<String> cidrs) {
		return cidrs.stream().map(cidr -> {
			try {
				var rule = EgressRule.parse(cidr);
				if (rule.kind() == EgressRule.Kind.CIDR && rule.port() == 0) {
					return rule;
				}
			}
			catch (IllegalArgumentException e) {
				// reported below, with the setting's name
			}
			throw new IllegalArgumentException(
					"airlock.egress.refused-cidrs: '" + cidr + "' is not an address range (a.b.c.d/n or IPv6/n)");
		}).toList();
	}

	/** The hosts, lowercased without a trailing dot; every value an IP address. */
	private static Map<String, String> pinned(Map<String, String> hosts) {
		var pinned = new LinkedHashMap<String, String>();
		hosts.forEach((name, ip) -> {
			var host = EgressRule.normalName(name);
			if (!EgressRule.isHostName(host) || EgressRule.literal(ip) == null) {
				throw new IllegalArgumentException("airlock.egress.hosts: '" + name
						+ "' must be a host name mapped to one IP address (a.b.c.d or IPv6), not '" + ip + "'");
			}
			pinned.put(host, ip);
		});
		return Map.copyOf(pinned);
	}

}
