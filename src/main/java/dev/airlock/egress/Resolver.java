package dev.airlock.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

/** Looks up a host name's addresses on Airlock's side. */
interface Resolver {

	/**
	 * Every address of {@code name}.
	 * @throws UnknownHostException when the name has none
	 * @throws TimeoutException when no answer came within {@code timeout}
	 */
	List<InetAddress> resolve(String name, Duration timeout) throws UnknownHostException, TimeoutException;

}
