package dev.airlock.mcp;

import java.util.List;

import io.modelcontextprotocol.server.McpStatelessServerFeatures.SyncToolSpecification;

/** Tools the MCP server offers, grouped by the service they call. */
interface ToolSet {

	List<SyncToolSpecification> tools();

}
