package dev.airlock.runtime;

/**
 * The caller stopped listening to an exec's output (a client went away); the exec's
 * processes were killed.
 */
public class ExecCancelled extends RuntimeException {

	public ExecCancelled(Throwable cause) {
		super("exec cancelled: " + cause.getMessage(), cause);
	}

}
