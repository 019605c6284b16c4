package dev.airlock.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import dev.airlock.core.IpLiteral;
import dev.airlock.egress.Verdict.Allowed;
import dev.airlock.egress.Verdict.Denied;
import dev.airlock.policy.EgressRule;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertyResolver;
import org.springframework.stereotype.Component;

/**
 * Decides whether a sandbox may reach {@code host:port}: the policy's rules must allow
 * the name (or, asked for by address, the address), and every address the name has — as
 * Airlock resolves it — must be one a sandbox may reach. Never this JVM's own addresses,
 * never the configured refused ranges, never Airlock's own ports, database or engine, and
 * special addresses only when a rule names a range of them.
 */
@Component
public class EgressGuard {

	private final EgressSettings settings;

	private final List<EgressRule> refused;

	private final Map<String, InetAddress> pinned;

	private final Resolver resolver;

	private final AirlockEndpoints airlock;

	private final Supplier<Set<InetAddress>> localAddresses;

	@Autowired
	EgressGuard(EgressSettings settings, Environment environment, ObjectProvider<JdbcConnectionDetails> database) {
		this(settings, new SystemResolver(), environment, () -> {
			var details = database.getIfAvailable();
			return details != null ? details.getJdbcUrl() : environment.getProperty("spring.datasource.url", "");
		}, new LocalAddresses());
	}

	EgressGuard(EgressSettings settings, Resolver resolver, PropertyResolver environment, Supplier<String> databaseUrl,
			Supplier<Set<InetAddress>> localAddresses) {
		this.settings = settings;
		this.refused = settings.refusedRanges();
		this.pinned = settings.hosts()
			.entrySet()
			.stream()
			.collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> literal(e.getValue())));
		this.resolver = resolver;
		this.airlock = new AirlockEndpoints(environment, databaseUrl, resolver, settings.resolveTimeout());
		this.localAddresses = localAddresses;
	}

	/**
	 * The verdict on a request for {@code host} (a name, or an IP address as the client
	 * wrote it, IPv6 in brackets or not) on {@code port} under {@code rules}.
	 */
	public Verdict check(List<EgressRule> rules, String host, int port) {
		if (port < 1 || port > 65535) {
			return new Denied(Denied.NOT_ALLOWED);
		}
		var literal = EgressRule.literal(host);
		if (literal != null) {
			return checkAddress(rules, literal, port);
		}
		var name = EgressRule.normalName(host);
		if (!EgressRule.isHostName(name)) {
			return new Denied(Denied.MALFORMED_HOST);
		}
		var asked = name;
		if (rules.stream().noneMatch(rule -> rule.allowsName(asked, port))) {
			return new Denied(Denied.NOT_ALLOWED);
		}
		List<InetAddress> addresses;
		try {
			addresses = resolve(name);
		}
		catch (UnknownHostException e) {
			return new Denied(Denied.UNKNOWN_HOST);
		}
		catch (TimeoutException e) {
			return new Denied(Denied.RESOLVE_TIMEOUT);
		}
		if (addresses.isEmpty()) {
			return new Denied(Denied.UNKNOWN_HOST);
		}
		for (var address : addresses) {
			var problem = problem(rules, address, port);
			if (problem != null) {
				return new Denied(problem.equals(Denied.REFUSED_ADDRESS) ? Denied.RESOLVES_TO_REFUSED : problem);
			}
		}
		return new Allowed(addresses);
	}

	private Verdict checkAddress(List<EgressRule> rules, InetAddress address, int port) {
		var allowed = rules.stream()
			.anyMatch(rule -> rule.allowsAddress(address, port) || (rule.kind() == EgressRule.Kind.ANY
					&& rule.allowsPort(port) && !AddressRanges.special(address)));
		if (!allowed) {
			return new Denied(Denied.NOT_ALLOWED);
		}
		var problem = problem(rules, address, port);
		return problem == null ? new Allowed(List.of(address)) : new Denied(problem);
	}

	private List<InetAddress> resolve(String name) throws UnknownHostException, TimeoutException {
		var pin = pinned.get(name);
		if (pin != null) {
			return List.of(pin);
		}
		return resolver.resolve(name, settings.resolveTimeout())
			.stream()
			.map(address -> IpLiteral.address(address.getAddress()))
			.distinct()
			.toList();
	}

	/**
	 * Why {@code address:port} may not be reached, or null when it may; an IPv6 address
	 * is also judged by each IPv4 address it carries.
	 */
	private @Nullable String problem(List<EgressRule> rules, InetAddress address, int port) {
		var special = AddressRanges.special(address);
		for (var form : AddressRanges.forms(address)) {
			if (refused.stream().anyMatch(range -> range.namesRange(form))) {
				return Denied.REFUSED_ADDRESS;
			}
			var own = form.isLoopbackAddress() || form.isAnyLocalAddress() || localAddresses.get().contains(form);
			if (((own || special) && airlock.ports().contains(port)) || airlock.isDependency(form, port)) {
				return Denied.OWN_PORT;
			}
			if (own) {
				return Denied.REFUSED_ADDRESS;
			}
		}
		if (special && rules.stream().noneMatch(rule -> rule.namesRange(address) && AddressRanges.special(rule))) {
			return Denied.REFUSED_ADDRESS;
		}
		return null;
	}

	private static InetAddress literal(String ip) {
		var address = EgressRule.literal(ip);
		if (address == null) {
			throw new IllegalArgumentException("not an IP address: " + ip);
		}
		return address;
	}

}
