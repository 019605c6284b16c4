package dev.airlock.mcp;

import dev.airlock.IntegrationTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * An integration test with MCP clients, closed (and their sandboxes deleted) after each
 * test.
 */
abstract class McpTestSupport extends IntegrationTestSupport {

	protected McpClients clients;

	@BeforeEach
	void openClients() {
		clients = new McpClients(api);
	}

	@AfterEach
	void closeClients() {
		clients.close();
	}

}
