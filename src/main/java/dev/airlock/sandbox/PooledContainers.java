package dev.airlock.sandbox;

import java.util.Optional;
import java.util.Set;

/**
 * Warm pools as a create sees them (the pool module plugs them in): started containers of
 * one policy version and image that a matching create takes instead of starting its own.
 */
public interface PooledContainers {

	/**
	 * Takes a ready member of a pool of {@code policy} (at {@code policyVersion}) and
	 * {@code image} on engine {@code engineId}, in the caller's transaction: committed
	 * with the sandbox's row, or not at all. Racing callers get different members or
	 * none. A pool matching a create counts the outcome: a hit, or a miss when it had no
	 * ready member.
	 * @return the member, whose id becomes the sandbox's; empty on a miss (and on no
	 * pool)
	 */
	Optional<Member> claim(String policy, int policyVersion, String image, String engineId);

	/**
	 * Counts a claimed member's outcome: a hit once the create answers with it, a miss
	 * when it failed and the create started a container of its own.
	 */
	void count(String pool, boolean hit);

	/**
	 * The ids of every unclaimed member now: their containers are not sandboxes, and not
	 * orphans either.
	 */
	Set<String> members();

	/** A claimed member: its id (the sandbox's), pool and container. */
	record Member(String id, String pool, String containerId) {
	}

}
