package dev.airlock.mcp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.airlock.core.PageResponse;
import dev.airlock.core.Paging;
import dev.airlock.sandbox.CreateSandboxRequest;
import dev.airlock.sandbox.SandboxFilter;
import dev.airlock.sandbox.SandboxQueries;
import dev.airlock.sandbox.SandboxService;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.SyncToolSpecification;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Component;

/** {@code create_sandbox}, {@code list_sandboxes}, {@code delete_sandbox}. */
@Component
class SandboxTools implements ToolSet {

	private static final Sort NEWEST_FIRST = Sort.by(Sort.Order.desc("createdAt"), Sort.Order.desc("id"));

	private final SandboxService sandboxes;

	private final SandboxQueries queries;

	private final ToolCalls calls;

	SandboxTools(SandboxService sandboxes, SandboxQueries queries, ToolCalls calls) {
		this.sandboxes = sandboxes;
		this.queries = queries;
		this.calls = calls;
	}

	/** What {@code delete_sandbox} answers. */
	record Deleted(String sandboxId, boolean deleted) {
	}

	@Override
	public List<SyncToolSpecification> tools() {
		return List.of(
				calls.define("create_sandbox", CreateSandboxRequest.class,
						(arguments, caller) -> sandboxes.create(arguments.toNewSandbox(), caller)),
				calls.define("list_sandboxes", ListSandboxesArguments.class, (arguments, caller) -> {
					var labels = arguments.labels() == null ? Map.<String, String>of() : arguments.labels();
					var filter = new SandboxFilter(arguments.tenant(), arguments.status(), new LinkedHashMap<>(labels));
					var page = Paging.of(arguments.page(), arguments.size(), NEWEST_FIRST);
					return PageResponse.of(queries.list(filter, page, caller), view -> view);
				}), calls.define("delete_sandbox", SandboxArguments.class, (arguments, caller) -> {
					sandboxes.delete(arguments.sandboxId(), caller);
					return new Deleted(arguments.sandboxId(), true);
				}));
	}

}
