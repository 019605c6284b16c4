package dev.airlock.pool.web;

import dev.airlock.core.ErrorCode;
import dev.airlock.core.PageResponse;
import dev.airlock.core.Paging;
import dev.airlock.core.ProblemCodes;
import dev.airlock.pool.PoolDefinition;
import dev.airlock.pool.PoolService;
import dev.airlock.pool.PoolView;
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

/** {@code /v1/pools}: read and changed by ADMIN and OPERATOR. */
@Tag(name = "Pools")
@RestController
@RequestMapping("/v1/pools")
class PoolController {

	private final PoolService pools;

	PoolController(PoolService pools) {
		this.pools = pools;
	}

	@Operation(operationId = "listPools", summary = "List the pools with their ready, starting and claimed members")
	@GetMapping
	PageResponse<PoolView> list(@RequestParam(required = false) @Nullable Integer page,
			@RequestParam(required = false) @Nullable Integer size) {
		return PageResponse.of(pools.list(Paging.of(page, size, Sort.by("name"))), view -> view);
	}

	@Operation(operationId = "createPool", summary = "Create a pool of started sandboxes of one policy and image")
	@ProblemCodes({ ErrorCode.POLICY_NOT_FOUND, ErrorCode.IMAGE_NOT_ALLOWED })
	@PostMapping(produces = MediaType.APPLICATION_JSON_VALUE)
	@ResponseStatus(HttpStatus.CREATED)
	ResponseEntity<PoolView> create(@Valid @RequestBody PoolDefinition definition,
			@AuthenticationPrincipal Caller caller, UriComponentsBuilder uris) {
		var created = pools.create(definition, caller.actor());
		return ResponseEntity.created(uris.path("/v1/pools/{name}").build(created.name())).body(created);
	}

	@Operation(operationId = "getPool",
			summary = "A pool with its ready, starting and claimed members and its last refill error")
	@ProblemCodes({ ErrorCode.NOT_FOUND })
	@GetMapping("/{name}")
	PoolView get(@PathVariable String name) {
		return pools.get(name);
	}

	@Operation(operationId = "updatePool", summary = "Replace a pool's policy, image and size")
	@ProblemCodes({ ErrorCode.NOT_FOUND, ErrorCode.POLICY_NOT_FOUND, ErrorCode.IMAGE_NOT_ALLOWED })
	@PutMapping(path = "/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
	PoolView update(@PathVariable String name, @Valid @RequestBody PoolDefinition definition,
			@AuthenticationPrincipal Caller caller) {
		return pools.update(name, definition, caller.actor());
	}

	@Operation(operationId = "deletePool", summary = "Delete a pool and its unclaimed members")
	@ProblemCodes({ ErrorCode.NOT_FOUND })
	@DeleteMapping("/{name}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void delete(@PathVariable String name, @AuthenticationPrincipal Caller caller) {
		pools.delete(name, caller.actor());
	}

}
