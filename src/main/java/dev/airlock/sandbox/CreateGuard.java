package dev.airlock.sandbox;

/**
 * A check every create passes before anything is written; another module (the halt
 * switch) plugs one in.
 */
public interface CreateGuard {

	/** Throws when {@code tenant} may not create sandboxes now. */
	void check(String tenant);

}
