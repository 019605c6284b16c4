package dev.airlock.mcp;

import java.util.Map;

import dev.airlock.sandbox.SandboxStatus;
import org.jspecify.annotations.Nullable;

/**
 * The arguments of {@code list_sandboxes}: the filters and paging of
 * {@code GET /v1/sandboxes}.
 */
record ListSandboxesArguments(@Nullable SandboxStatus status, @Nullable Map<String, String> labels,
		@Nullable String tenant, @Nullable Integer page, @Nullable Integer size) {
}
