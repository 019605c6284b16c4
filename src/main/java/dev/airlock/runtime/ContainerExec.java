package dev.airlock.runtime;

/** The port for running commands inside a sandbox's container. */
public interface ContainerExec {

	/**
	 * Runs a command in the sandbox's container and blocks until it ends, streaming its
	 * output to {@code output}. On timeout, or when {@code output} throws, the command
	 * and every process it started are killed.
	 */
	ExecOutcome exec(String sandboxId, ExecSpec spec, ExecOutput output);

}
