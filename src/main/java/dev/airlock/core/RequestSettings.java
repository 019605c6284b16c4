package dev.airlock.core;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits on API requests.
 *
 * @param maxBodySize the largest request body any JSON endpoint accepts (file uploads
 * have the policy's own cap)
 */
@ConfigurationProperties("airlock.api")
public record RequestSettings(@DefaultValue("1MB") DataSize maxBodySize) {
}
