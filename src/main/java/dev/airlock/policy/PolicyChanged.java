package dev.airlock.policy;

/**
 * A policy was created, updated or deleted.
 *
 * @param name the policy
 * @param version the version that is now current, or the last one for a deletion
 * @param change what happened
 * @param actor who did it ({@code key:<id>})
 */
public record PolicyChanged(String name, int version, Change change, String actor) {

	public enum Change {

		CREATED, UPDATED, DELETED

	}
}
