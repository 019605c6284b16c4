package dev.airlock.runtime;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

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

	/**
	 * Sets the defaults of every later exec in the sandbox, replacing any before:
	 * {@code env} lies under each exec's own (which wins for the same key), and
	 * {@code workdir} is the working folder of an exec that names none ({@code null} or
	 * empty: the image's). They live in the sandbox's agent only, never on disk, and
	 * outlive Airlock's connection to it. The values are secrets: nothing logs them.
	 * @throws RuntimeError when the sandbox refuses them (a working folder that is
	 * missing or not a folder) or its agent predates them
	 */
	void setDefaults(String sandboxId, Map<String, String> env, @Nullable String workdir);

}
