package dev.airlock.enforcement;

/**
 * The {@code endReason} values enforcement writes; clients and dashboards match on them.
 */
final class KillReasons {

	static final String MEMORY_LIMIT = "MEMORY_LIMIT";
	static final String PIDS_LIMIT = "PIDS_LIMIT";
	static final String CPU_BUDGET = "CPU_BUDGET";
	static final String DENIED_COMMAND = "DENIED_COMMAND";
	static final String HALTED = "HALTED";
	static final String MAIN_PROCESS_EXITED = "MAIN_PROCESS_EXITED";
	static final String CONTAINER_MISSING = "CONTAINER_MISSING";

	private KillReasons() {
	}

}
