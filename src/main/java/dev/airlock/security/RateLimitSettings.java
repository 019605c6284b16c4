package dev.airlock.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Per-key request rate limits (a token bucket per key, per replica).
 *
 * @param perSecond the sustained rate a key may send
 * @param burst how many requests a key may send at once
 */
@ConfigurationProperties("airlock.security.rate-limit")
public record RateLimitSettings(@DefaultValue("100") long perSecond, @DefaultValue("200") long burst) {
}
