package dev.airlock.runtime;

import java.io.IOException;

/**
 * Receives a command's output as it comes. Throwing from a method cancels the command
 * (its process tree is killed).
 */
public interface ExecOutput {

	void stdout(byte[] buffer, int offset, int length) throws IOException;

	void stderr(byte[] buffer, int offset, int length) throws IOException;

	/**
	 * Called once the command runs, with a way to cancel it (kill its processes) from
	 * another thread.
	 */
	default void started(Runnable cancel) {
	}

}
