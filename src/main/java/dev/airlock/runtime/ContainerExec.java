package dev.airlock.runtime;

import java.util.List;

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
	 * on its {@code PATH}, as its exec would) and, when it differs, the same with its
	 * symlinks resolved; empty when there is none or the sandbox cannot say. Runs
	 * nothing.
	 */
	List<String> program(String sandboxId, ExecSpec spec);

}
