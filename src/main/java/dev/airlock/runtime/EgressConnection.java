package dev.airlock.runtime;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * One TCP connection a sandbox's process opened to its agent's proxy port, relayed to
 * Airlock: the sandbox's bytes come in on {@link #input()}, the answer goes out on
 * {@link #output()}. Everything on it is written by the sandbox: untrusted.
 */
public interface EgressConnection extends Closeable {

	String sandboxId();

	/** What the sandbox's process sent; -1 once it shut down its sending side. */
	InputStream input();

	/** Bytes for the sandbox's process; blocks while it does not read. */
	OutputStream output();

	/** Tells the sandbox's process that nothing more comes (its read sees the end). */
	void shutdownOutput() throws IOException;

	/** Ends the connection at once (the sandbox's process sees a reset); idempotent. */
	@Override
	void close();

}
