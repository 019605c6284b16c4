package dev.airlock.mcp;

import java.util.List;

import dev.airlock.core.ProblemWriter;
import dev.airlock.core.RequestSettings;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStatelessServerTransport;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import tools.jackson.databind.json.JsonMapper;

/**
 * The MCP server on the streamable HTTP transport, stateless: every POST to {@code /mcp}
 * stands alone (no session to pin to one replica, none that could carry one key's
 * identity into another key's request). It is a servlet of its own, behind the same
 * filters as the REST API: the bearer key, its role and rate limit, the body limit; then
 * {@link McpRequestGuard} lets only well-formed messages through.
 */
@Configuration(proxyBeanMethods = false)
class McpConfiguration {

	static final String PATH = "/mcp";

	private static final String INSTRUCTIONS = """
			Airlock runs commands in isolated, policy-governed Linux sandboxes. Create a sandbox \
			(create_sandbox), keep its id, then run_command, write_file, read_file and list_files in it; \
			delete_sandbox when done. A refused call answers an error whose text starts with a code \
			(e.g. SANDBOX_NOT_FOUND, IMAGE_NOT_ALLOWED, VALIDATION_FAILED) and says why.""";

	@Bean
	McpJsonMapper mcpJsonMapper() {
		return McpJsonDefaults.getMapper();
	}

	@Bean
	HttpServletStatelessServerTransport mcpTransport(McpJsonMapper json, RequestSettings requests) {
		return HttpServletStatelessServerTransport.builder()
			.jsonMapper(json)
			.messageEndpoint(PATH)
			.contextExtractor(new CallerContext())
			.maxRequestSize(Math.toIntExact(requests.maxBodySize().toBytes()))
			.build();
	}

	@Bean
	McpStatelessSyncServer mcpServer(HttpServletStatelessServerTransport transport, McpJsonMapper json,
			List<ToolSet> tools) {
		var version = McpConfiguration.class.getPackage().getImplementationVersion();
		return McpServer.sync(new GuardedTransport(transport))
			.jsonMapper(json)
			.serverInfo("airlock", version == null ? "development" : version)
			.instructions(INSTRUCTIONS)
			.capabilities(ServerCapabilities.builder().tools(false).build())
			.tools(ToolCalls.all(tools))
			// ToolCalls validates the arguments itself, answering VALIDATION_FAILED with
			// each field
			.validateToolInputs(false)
			// the servlet thread waits for the answer anyway: the tool runs on it, with
			// the request's context
			.immediateExecution(true)
			.build();
	}

	/**
	 * After the security filter chain (order -100): a request is authenticated,
	 * authorized and counted before its body is read.
	 */
	@Bean
	FilterRegistrationBean<McpRequestGuard> mcpRequestGuard(JsonMapper json, ProblemWriter problems) {
		var registration = new FilterRegistrationBean<>(new McpRequestGuard(json, problems));
		registration.addUrlPatterns(PATH);
		registration.setOrder(Ordered.LOWEST_PRECEDENCE);
		return registration;
	}

	/** Takes the server so that the transport has its handler before any request. */
	@Bean
	ServletRegistrationBean<HttpServletStatelessServerTransport> mcpServlet(
			HttpServletStatelessServerTransport transport, McpStatelessSyncServer server) {
		var registration = new ServletRegistrationBean<>(transport, PATH);
		registration.setName("mcp");
		return registration;
	}

}
