package dev.airlock.runtime;

import org.jspecify.annotations.Nullable;

/**
 * The caller stopped listening to an exec's output (a client went away) or cancelled it;
 * the exec's processes were killed.
 */
public class ExecCancelled extends RuntimeException {

	public ExecCancelled(@Nullable Throwable cause) {
		super(cause == null ? "exec cancelled" : "exec cancelled: " + cause.getMessage(), cause);
	}

}
