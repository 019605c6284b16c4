package dev.airlock.egress;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.airlock.policy.EgressRule;
import dev.airlock.runtime.EgressConnection;
import dev.airlock.runtime.EgressHandler;
import dev.airlock.sandbox.SandboxActivity;
import dev.airlock.sandbox.SandboxEvents.SandboxEnded;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * The gateway between sandboxes and the network. A sandbox's process speaks to its proxy
 * port as to any HTTP proxy: {@code CONNECT host:port} (TLS and anything else) or an
 * absolute-form {@code http://} request. The gateway decides on the host the client asked
 * for, resolves names itself, checks every address ({@link EgressGuard}), connects from
 * Airlock's own network, and relays bytes without reading them, but for the TLS server
 * name of a tunnel, which must agree with the allow-list too. Every decision is recorded.
 * Nothing a sandbox sends is trusted: a malformed request is answered 400 and closed.
 */
@Component
class EgressGateway implements EgressHandler {

	private static final Logger log = LoggerFactory.getLogger(EgressGateway.class);

	/**
	 * Sandboxes' allow-lists: a sandbox's pinned policy never changes. Bounded by
	 * clearing.
	 */
	private static final int POLICY_CACHE = 10_000;

	private final EgressGuard guard;

	private final EgressDecisions decisions;

	private final SandboxActivity sandboxes;

	private final EgressSettings settings;

	private final Map<String, List<EgressRule>> allowLists = new ConcurrentHashMap<>();

	private final OpenConnections open;

	EgressGateway(EgressGuard guard, EgressDecisions decisions, SandboxActivity sandboxes, EgressSettings settings,
			OpenConnections open) {
		this.open = open;
		this.guard = guard;
		this.decisions = decisions;
		this.sandboxes = sandboxes;
		this.settings = settings;
	}

	@Override
	public void handle(EgressConnection connection) {
		try (var held = open.hold(connection.sandboxId(), connection)) {
			serve(connection, held);
		}
		catch (IOException | UncheckedIOException e) { // either side went away
			log.debug("Egress of {} ended: {}", connection.sandboxId(), e.toString());
		}
	}

	private void serve(EgressConnection connection, OpenConnections.Held held) throws IOException {
		var sandboxId = connection.sandboxId();
		var fromSandbox = new BufferedInputStream(connection.input(), 16 * 1024);
		ProxyRequest request;
		try (var headDue = Deadline.closing(connection, settings.idleTimeout())) {
			request = ProxyRequest.read(fromSandbox); // a head that never ends frees its
														// slot
		}
		var answer = new ProxyAnswers(connection);
		if (request instanceof ProxyRequest.Malformed malformed) {
			answer.refuse(400, "Bad Request", "not a proxy request this gateway understands: " + malformed.reason());
			return;
		}
		var target = Target.of(request);
		var rules = allowList(sandboxId);
		var verdict = rules.isEmpty() ? new Verdict.Denied("the sandbox's policy allows no egress")
				: guard.check(rules, target.host(), target.port());
		if (verdict instanceof Verdict.Denied denied) {
			decisions.record(sandboxId, target.host(), target.port(), false);
			answer.refuse(403, "Forbidden", "connections to " + target + " are not allowed (" + denied.reason() + ")");
			return;
		}
		var addresses = ((Verdict.Allowed) verdict).addresses();
		decisions.record(sandboxId, target.host(), target.port(), true);
		try (var upstream = connect(addresses, target.port())) {
			if (upstream == null) {
				answer.refuse(502, "Bad Gateway", "could not connect to " + target);
				return;
			}
			held.add(upstream);
			var relay = Relay.start(connection, upstream, settings.idleTimeout());
			if (request instanceof ProxyRequest.Http http) {
				relay.pump(new RequestBody(fromSandbox, http.bodyLength()), http.upstreamHead(),
						http.upstreamHead().length);
				return;
			}
			answer.established();
			var hello = TlsPeek.read(fromSandbox);
			var serverName = hello.serverName();
			if (hello.unreadable() || serverName != null && !serverNameAllowed(rules, target, serverName)) {
				relay.abort();
				decisions.record(sandboxId, serverName != null ? EgressRule.normalName(serverName) : target.host(),
						target.port(), false);
				answer.tlsAccessDenied();
				return;
			}
			relay.pump(fromSandbox, hello.bytes(), hello.length());
		}
	}

	@TransactionalEventListener(fallbackExecution = true)
	void on(SandboxEnded ended) {
		allowLists.remove(ended.sandboxId());
	}

	/**
	 * A tunnel's TLS server name must be the host the tunnel was asked for; a tunnel to
	 * an address the allow-list names by range may carry any name the allow-list allows.
	 */
	static boolean serverNameAllowed(List<EgressRule> rules, Target target, String serverName) {
		var name = EgressRule.normalName(serverName);
		if (EgressRule.literal(target.host()) == null) {
			return name.equals(target.host());
		}
		return rules.stream().anyMatch(rule -> rule.allowsName(name, target.port()));
	}

	private @Nullable Socket connect(List<InetAddress> addresses, int port) {
		for (var address : addresses) {
			var socket = new Socket();
			try {
				socket.setTcpNoDelay(true);
				socket.connect(new InetSocketAddress(address, port), (int) settings.connectTimeout().toMillis());
				return socket;
			}
			catch (IOException e) {
				closeQuietly(socket);
			}
		}
		return null;
	}

	/**
	 * The sandbox's effective allow-list ({@code BRIDGE} is {@code *}); empty for a
	 * sandbox without egress, or one that is not running.
	 */
	private List<EgressRule> allowList(String sandboxId) {
		var known = allowLists.get(sandboxId);
		if (known != null) {
			return known;
		}
		var running = sandboxes.running(sandboxId);
		if (running.isEmpty()) {
			return List.of();
		}
		if (allowLists.size() >= POLICY_CACHE) {
			allowLists.clear();
		}
		var rules = List.copyOf(running.get().policy().egressRules());
		allowLists.put(sandboxId, rules);
		return rules;
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ignored) {
			// nothing was sent on it
		}
	}

	/** Where a request asked to go: a name (lowercase, no trailing dot) or an address. */
	record Target(String host, int port) {

		static Target of(ProxyRequest request) {
			return switch (request) {
				case ProxyRequest.Connect c -> new Target(EgressRule.normalName(c.host()), c.port());
				case ProxyRequest.Http h -> new Target(EgressRule.normalName(h.host()), h.port());
				case ProxyRequest.Malformed m -> throw new IllegalArgumentException(m.reason());
			};
		}

		@Override
		public String toString() {
			return EgressDecisions.hostPort(host, port);
		}

	}

}
