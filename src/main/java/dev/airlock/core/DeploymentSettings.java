package dev.airlock.core;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Which deployment this process belongs to.
 *
 * @param id the value of the {@code airlock.deployment} label on every container and
 * volume this deployment makes; it reconciles and cleans up only what carries it. Empty:
 * the id the database made for itself at its first migration, so every replica over one
 * database agrees and two deployments over two databases differ. Letters, digits,
 * {@code .}, {@code _} and {@code -}, starting with a letter or digit, at most 63
 */
@ConfigurationProperties("airlock.deployment")
public record DeploymentSettings(@Nullable String id) {
}
