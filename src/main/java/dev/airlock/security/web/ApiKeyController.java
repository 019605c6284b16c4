package dev.airlock.security.web;

import dev.airlock.core.ErrorCode;
import dev.airlock.core.PageResponse;
import dev.airlock.core.Paging;
import dev.airlock.core.ProblemCodes;
import dev.airlock.security.ApiKeyService;
import dev.airlock.security.ApiKeyView;
import dev.airlock.security.Caller;
import dev.airlock.security.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
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
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

/** {@code /v1/api-keys}: ADMIN creates and revokes; OPERATOR may read. */
@Tag(name = "API keys")
@RestController
@RequestMapping("/v1/api-keys")
class ApiKeyController {

	private final ApiKeyService keys;

	ApiKeyController(ApiKeyService keys) {
		this.keys = keys;
	}

	/** The body of a key creation. */
	record CreateKeyRequest(
			@NotBlank @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,62}",
					message = "must be 1-63 letters, digits, '.', '_' or '-'") String tenant,
			@NotNull Role role, @NotBlank @Size(max = 128) String name) {
	}

	@Operation(operationId = "createApiKey",
			summary = "Create a key; its secret is in this answer and nowhere else, ever")
	@PostMapping(produces = MediaType.APPLICATION_JSON_VALUE)
	@ResponseStatus(HttpStatus.CREATED)
	ResponseEntity<ApiKeyView> create(@Valid @RequestBody CreateKeyRequest request,
			@AuthenticationPrincipal Caller caller, UriComponentsBuilder uris) {
		var created = keys.create(request.tenant(), request.role(), request.name(), caller.actor());
		return ResponseEntity.created(uris.path("/v1/api-keys/{id}").build(created.id())).body(created);
	}

	@Operation(operationId = "listApiKeys", summary = "List keys (never their secrets), newest first; filter: tenant")
	@GetMapping
	PageResponse<ApiKeyView> list(@RequestParam(required = false) @Nullable String tenant,
			@RequestParam(required = false) @Nullable Integer page,
			@RequestParam(required = false) @Nullable Integer size) {
		var request = Paging.of(page, size, Sort.unsorted());
		return new PageResponse<>(keys.list(tenant, request.getPageNumber(), request.getPageSize()),
				request.getPageNumber(), request.getPageSize(), keys.count(tenant));
	}

	@Operation(operationId = "revokeApiKey", summary = "Revoke a key: it stops working at once")
	@ProblemCodes({ ErrorCode.API_KEY_NOT_FOUND })
	@DeleteMapping("/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void revoke(@PathVariable String id, @AuthenticationPrincipal Caller caller) {
		keys.revoke(id, caller.actor());
	}

}
