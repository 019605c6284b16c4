package dev.airlock.egress;

import java.net.InetAddress;
import java.util.List;

/** The egress guard's answer to one request for a destination. */
public sealed interface Verdict {

	/**
	 * Allowed: connect to one of these addresses, checked all, and to no other (a second
	 * lookup could answer differently).
	 */
	record Allowed(List<InetAddress> addresses) implements Verdict {

		public Allowed {
			addresses = List.copyOf(addresses);
		}

	}

	/** Refused, with a short stable reason (one of the constants). */
	record Denied(String reason) implements Verdict {

		/** No entry of the policy's list allows the host on the port. */
		public static final String NOT_ALLOWED = "not in egressAllowlist";

		/** An allowed name has an address that is refused. */
		public static final String RESOLVES_TO_REFUSED = "resolves to a refused address";

		/** An address no sandbox may reach (asked for as an IP address). */
		public static final String REFUSED_ADDRESS = "refused address";

		/** Airlock's server or management port, its database or its Docker engine. */
		public static final String OWN_PORT = "Airlock's own port";

		/** The name has no address. */
		public static final String UNKNOWN_HOST = "unknown host";

		/** Resolving the name took longer than {@code airlock.egress.resolve-timeout}. */
		public static final String RESOLVE_TIMEOUT = "name resolution timed out";

		/**
		 * Neither a host name nor an IP address in its one accepted spelling (decimal,
		 * octal and hex spellings of IPv4 addresses are refused).
		 */
		public static final String MALFORMED_HOST = "malformed host";

	}

}
