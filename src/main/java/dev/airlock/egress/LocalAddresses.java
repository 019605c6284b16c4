package dev.airlock.egress;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import dev.airlock.core.IpLiteral;

/**
 * The addresses of this JVM's own network interfaces (Airlock's host, or its container),
 * read again when older than a few seconds: interfaces come and go (a new Docker network
 * adds one).
 */
final class LocalAddresses implements Supplier<Set<InetAddress>> {

	static final Duration REFRESH = Duration.ofSeconds(10);

	private volatile Snapshot snapshot = new Snapshot(Set.of(), Long.MIN_VALUE);

	private record Snapshot(Set<InetAddress> addresses, long readAt) {
	}

	@Override
	public Set<InetAddress> get() {
		var current = snapshot;
		var now = System.nanoTime();
		if (current.readAt() != Long.MIN_VALUE && now - current.readAt() < REFRESH.toNanos()) {
			return current.addresses();
		}
		try {
			current = new Snapshot(read(), now);
			snapshot = current;
		}
		catch (SocketException e) {
			// keep the last reading; loopback is refused on its own whatever this says
		}
		return current.addresses();
	}

	private static Set<InetAddress> read() throws SocketException {
		return NetworkInterface.networkInterfaces()
			.flatMap(NetworkInterface::inetAddresses)
			.map(address -> IpLiteral.address(address.getAddress()))
			.collect(Collectors.toUnmodifiableSet());
	}

}
