package dev.airlock.policy.web;

import dev.airlock.core.ErrorCode;
import dev.airlock.core.PageResponse;
import dev.airlock.core.Paging;
import dev.airlock.core.ProblemCodes;
import dev.airlock.policy.PolicyDefinition;
import dev.airlock.policy.PolicyService;
import dev.airlock.policy.PolicyView;
import dev.airlock.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

/** {@code /v1/policies}: read by every API role, changed by ADMIN and OPERATOR. */
@Tag(name = "Policies")
@RestController
@RequestMapping("/v1/policies")
class PolicyController {

	private final PolicyService policies;

	PolicyController(PolicyService policies) {
		this.policies = policies;
	}

	@Operation(operationId = "listPolicies", summary = "List the current version of every policy")
	@GetMapping
	PageResponse<PolicyView> list(@RequestParam(required = false) @Nullable Integer page,
			@RequestParam(required = false) @Nullable Integer size, @AuthenticationPrincipal Caller caller) {
		return PageResponse.of(policies.list(Paging.of(page, size, Sort.by("name"))), view -> shown(view, caller));
	}

	@Operation(operationId = "createPolicy", summary = "Create a policy (version 1)")
	@ProblemCodes({ ErrorCode.POLICY_EXISTS })
	@PostMapping(produces = MediaType.APPLICATION_JSON_VALUE)
	@ResponseStatus(HttpStatus.CREATED)
	ResponseEntity<PolicyView> create(@Valid @RequestBody PolicyDefinition definition,
			@AuthenticationPrincipal Caller caller, UriComponentsBuilder uris) {
		var created = policies.create(definition, caller.actor());
		return ResponseEntity.created(uris.path("/v1/policies/{name}").build(created.name())).body(created);
	}

	@Operation(operationId = "getPolicy", summary = "The current version of a policy")
	@ProblemCodes({ ErrorCode.POLICY_NOT_FOUND })
	@GetMapping("/{name}")
	PolicyView get(@PathVariable String name, @AuthenticationPrincipal Caller caller) {
		return shown(policies.current(name), caller);
	}

	@Operation(operationId = "updatePolicy", summary = "Replace a policy: a new version; running sandboxes keep theirs")
	@ProblemCodes({ ErrorCode.POLICY_NOT_FOUND })
	@PutMapping(path = "/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
	PolicyView update(@PathVariable String name, @Valid @RequestBody PolicyDefinition definition,
			@AuthenticationPrincipal Caller caller) {
		return policies.update(name, definition, caller.actor());
	}

	@Operation(operationId = "deletePolicy",
			summary = "Delete a policy (not 'default'); pinned versions stay readable to their sandboxes")
	@ProblemCodes({ ErrorCode.POLICY_NOT_FOUND, ErrorCode.POLICY_PROTECTED })
	@DeleteMapping("/{name}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void delete(@PathVariable String name, @AuthenticationPrincipal Caller caller) {
		policies.delete(name, caller.actor());
	}

	/** Other tenants' names only to those who see every tenant. */
	private static PolicyView shown(PolicyView view, Caller caller) {
		return caller.seesAllTenants() ? view : view.seenBy(caller.tenant());
	}

}
