package dev.airlock.pool;

import org.jspecify.annotations.Nullable;

/**
 * A pool as clients see it.
 *
 * @param name the pool
 * @param policy the policy its members run under (always its current version)
 * @param image the exact image string a create must ask for to take a member
 * @param size how many ready members refill keeps
 * @param ready members started and waiting for a claim
 * @param starting members being started
 * @param claimed members taken by creates since the pool was created
 * @param lastError the latest refill failure, null once a refill succeeds
 */
public record PoolView(String name, String policy, String image, int size, int ready, int starting, long claimed,
		@Nullable String lastError) {
}
