package dev.airlock.pool;

/**
 * A pool was created, replaced or deleted.
 *
 * @param pool the pool as it is now (as it was, for a deletion)
 * @param change what happened
 * @param actor who did it ({@code key:<id>})
 */
public record PoolChanged(PoolView pool, Change change, String actor) {

	public enum Change {

		CREATED, UPDATED, DELETED

	}
}
