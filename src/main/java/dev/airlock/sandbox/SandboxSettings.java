package dev.airlock.sandbox;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Sandbox lifecycle settings.
 *
 * @param keepAliveCommand the main process of a sandbox created without a {@code command}: it runs until the
 * sandbox ends, whatever the image's own CMD would do
 */
@ConfigurationProperties("airlock.sandbox")
public record SandboxSettings(@DefaultValue({ "sleep", "infinity" }) List<String> keepAliveCommand) {
}
