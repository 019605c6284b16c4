package dev.airlock.mcp;

import java.util.Map;

import dev.airlock.security.Caller;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpTransportContextExtractor;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.core.Authentication;

/**
 * Hands each tool call the caller of the HTTP request that carries it: the key the
 * security filter chain authenticated for that very request, never one remembered from an
 * earlier request, a session or a thread.
 */
class CallerContext implements McpTransportContextExtractor<HttpServletRequest> {

	private static final String CALLER = Caller.class.getName();

	@Override
	public McpTransportContext extract(HttpServletRequest request) {
		if (request.getUserPrincipal() instanceof Authentication authentication
				&& authentication.getPrincipal() instanceof Caller caller) {
			return McpTransportContext.create(Map.of(CALLER, caller));
		}
		return McpTransportContext.EMPTY;
	}

	/** The caller of the request; /mcp is never reached without one. */
	static Caller callerOf(McpTransportContext context) {
		if (context.get(CALLER) instanceof Caller caller) {
			return caller;
		}
		throw new IllegalStateException("an MCP call without an authenticated caller");
	}

}
