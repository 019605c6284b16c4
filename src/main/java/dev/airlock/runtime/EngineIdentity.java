package dev.airlock.runtime;

/**
 * Which engine this process talks to. Each sandbox row records the engine it runs on, and
 * a replica decides only about sandboxes of its own engine: "not found here" says nothing
 * about a container on another engine.
 */
public interface EngineIdentity {

	/**
	 * The engine's stable id (the same across its restarts).
	 * @throws RuntimeUnavailable when the engine cannot be reached and its id is not yet
	 * known
	 */
	String engineId();

}
