package dev.airlock.pool;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits on pools.
 *
 * @param maxSize the largest {@code size} a pool may be given
 */
@ConfigurationProperties("airlock.pools")
public record PoolSettings(@DefaultValue("50") int maxSize) {
}
