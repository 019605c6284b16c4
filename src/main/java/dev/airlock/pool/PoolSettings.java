package dev.airlock.pool;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits on pools and how they are refilled.
 *
 * @param maxSize the largest {@code size} a pool may be given
 * @param maxMembers the most members (ready and starting) of all pools together on one
 * engine: refill stops there, whatever the pools' sizes say
 * @param refillConcurrency how many members start at once on one engine
 * @param refillPerSecond the most member starts per second on one engine
 * @param refillInterval the pause between two refill passes
 * @param startTimeout a member still starting after this long is given up (its replica
 * died mid-start) and replaced
 * @param maxBackoff the longest a pool whose members fail to start waits before it tries
 * again (the wait doubles from one second per failure in a row)
 */
@ConfigurationProperties("airlock.pools")
public record PoolSettings(@DefaultValue("50") int maxSize, @DefaultValue("100") int maxMembers,
		@DefaultValue("2") int refillConcurrency, @DefaultValue("8") double refillPerSecond,
		@DefaultValue("500ms") Duration refillInterval, @DefaultValue("2m") Duration startTimeout,
		@DefaultValue("60s") Duration maxBackoff) {
}
