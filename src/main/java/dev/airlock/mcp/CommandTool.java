package dev.airlock.mcp;

import java.util.List;

import dev.airlock.exec.ExecRequest;
import dev.airlock.exec.ExecService;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.SyncToolSpecification;
import org.springframework.stereotype.Component;

/** {@code run_command}: the exec of the REST API, answered once the command has ended. */
@Component
class CommandTool implements ToolSet {

	private final ExecService execs;

	private final ToolCalls calls;

	CommandTool(ExecService execs, ToolCalls calls) {
		this.execs = execs;
		this.calls = calls;
	}

	@Override
	public List<SyncToolSpecification> tools() {
		return List.of(calls.defineInSandbox("run_command", ExecRequest.class,
				(sandboxId, request, caller) -> execs.run(sandboxId, request.toCommand(), caller)));
	}

}
