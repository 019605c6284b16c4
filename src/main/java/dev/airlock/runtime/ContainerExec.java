package dev.airlock.runtime;

import java.util.Optional;

/** The port for running commands inside a sandbox's container. */
public interface ContainerExec {

	/**
	 * Runs a command in the sandbox's container and blocks until it ends, streaming its
	 * output to {@code output}. On timeout, or when {@code output} throws, the command
	 * and every process it started are killed.
	 */
	ExecOutcome exec(String sandboxId, ExecSpec spec, ExecOutput output);

	/**
	 * The absolute path of the program {@code spec} would run ({@code argv[0]} looked up
	 * on its {@code PATH}, as its exec would), or empty when there is none; runs nothing.
	 */
	Optional<String> program(String sandboxId, ExecSpec spec);

}
