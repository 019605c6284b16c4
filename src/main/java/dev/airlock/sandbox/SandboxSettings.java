package dev.airlock.sandbox;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Sandbox lifecycle settings.
 *
 * @param keepAliveCommand the main process of a sandbox created without a
 * {@code command}: it runs until the sandbox ends, whatever the image's own CMD would do.
 * Empty (the default): the runtime's own keep-alive, which needs nothing from the image
 * (Docker runs a {@code sleep} from Airlock's tools volume), so even an image without a
 * shell or a {@code sleep} works
 */
@ConfigurationProperties("airlock.sandbox")
public record SandboxSettings(@DefaultValue List<String> keepAliveCommand) {
}
