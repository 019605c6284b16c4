package dev.airlock.egress.web;

import dev.airlock.core.ErrorCode;
import dev.airlock.core.PageResponse;
import dev.airlock.core.Paging;
import dev.airlock.core.ProblemCodes;
import dev.airlock.egress.EgressDecision;
import dev.airlock.egress.EgressDecisions;
import dev.airlock.sandbox.SandboxQueries;
import dev.airlock.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Sort;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/sandboxes/{id}/egress}: the gateway's decisions for a sandbox, to
 * whoever may see the sandbox.
 */
@Tag(name = "Egress")
@RestController
class EgressController {

	private final EgressDecisions decisions;

	private final SandboxQueries sandboxes;

	EgressController(EgressDecisions decisions, SandboxQueries sandboxes) {
		this.decisions = decisions;
		this.sandboxes = sandboxes;
	}

	@Operation(operationId = "listEgressDecisions",
			summary = "The sandbox's egress decisions per minute, destination, port and decision, newest "
					+ "minute first: {at, destination, port, decision, count}")
	@ProblemCodes({ ErrorCode.SANDBOX_NOT_FOUND })
	@GetMapping("/v1/sandboxes/{id}/egress")
	PageResponse<EgressDecision> list(@PathVariable String id, @RequestParam(required = false) @Nullable Integer page,
			@RequestParam(required = false) @Nullable Integer size, @AuthenticationPrincipal Caller caller) {
		var paging = Paging.of(page, size, Sort.unsorted());
		var sandbox = sandboxes.get(id, caller);
		return PageResponse.of(decisions.list(sandbox.id(), paging), decision -> decision);
	}

}
