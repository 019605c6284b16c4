package dev.airlock.policy;

import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Policy settings.
 *
 * @param allowedRuntimes the OCI runtimes a policy may name (each must be configured in
 * the Docker daemon)
 */
@ConfigurationProperties("airlock.policy")
public record PolicySettings(@DefaultValue("runc") Set<String> allowedRuntimes) {
}
