package dev.airlock.mcp;

import java.util.List;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.spec.McpSchema.ErrorCodes;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCNotification;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCRequest;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse.JSONRPCError;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The servlet transport with a handler that always answers: the SDK reads some params
 * (those of {@code tools/call}) before its own error handling, so ill-typed ones would be
 * a {@code 500} with a stack trace; here they are a JSON-RPC {@code -32602}. An internal
 * error's message (an exception's, naming classes) stays in the log.
 */
class GuardedTransport implements McpStatelessServerTransport {

	private static final Logger log = LoggerFactory.getLogger(GuardedTransport.class);

	private final McpStatelessServerTransport transport;

	GuardedTransport(McpStatelessServerTransport transport) {
		this.transport = transport;
	}

	@Override
	public void setMcpHandler(McpStatelessServerHandler handler) {
		transport.setMcpHandler(new McpStatelessServerHandler() {

			@Override
			public Mono<JSONRPCResponse> handleRequest(McpTransportContext context, JSONRPCRequest request) {
				return Mono.defer(() -> handler.handleRequest(context, request))
					.onErrorResume(e -> Mono.just(refused(request, e)))
					.map(GuardedTransport::withoutInternals);
			}

			@Override
			public Mono<Void> handleNotification(McpTransportContext context, JSONRPCNotification notification) {
				return Mono.defer(() -> handler.handleNotification(context, notification)).onErrorResume(e -> {
					log.debug("Notification {} ignored: {}", notification.method(), e.toString());
					return Mono.empty();
				});
			}

		});
	}

	private static JSONRPCResponse refused(JSONRPCRequest request, Throwable error) {
		if (error instanceof IllegalArgumentException || error instanceof NullPointerException) {
			return JSONRPCResponse.error(request.id(),
					new JSONRPCError(ErrorCodes.INVALID_PARAMS, "Invalid params for '" + request.method() + "'."));
		}
		log.error("MCP request {} failed", request.method(), error);
		return JSONRPCResponse.error(request.id(), new JSONRPCError(ErrorCodes.INTERNAL_ERROR, "Internal error"));
	}

	private static JSONRPCResponse withoutInternals(JSONRPCResponse response) {
		var error = response.error();
		if (error == null || !Integer.valueOf(ErrorCodes.INTERNAL_ERROR).equals(error.code())
				|| "Internal error".equals(error.message())) {
			return response;
		}
		log.warn("MCP internal error answered without its detail: {}", error.message());
		return JSONRPCResponse.error(response.id(), new JSONRPCError(ErrorCodes.INTERNAL_ERROR, "Internal error"));
	}

	@Override
	public Mono<Void> closeGracefully() {
		return transport.closeGracefully();
	}

	@Override
	public List<String> protocolVersions() {
		return transport.protocolVersions();
	}

}
