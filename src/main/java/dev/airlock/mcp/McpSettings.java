package dev.airlock.mcp;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The MCP server's limits (its request bodies are capped by
 * {@code airlock.api.max-body-size} like every JSON endpoint's).
 *
 * @param maxReadSize the largest file {@code read_file} returns; a larger one is refused
 * before any of it is read
 */
@ConfigurationProperties("airlock.mcp")
public record McpSettings(@DefaultValue("1MB") DataSize maxReadSize) {
}
