package dev.airlock.tenant.web;

import dev.airlock.core.ErrorCode;
import dev.airlock.core.ProblemCodes;
import dev.airlock.core.ValidationFailed;
import dev.airlock.security.Caller;
import dev.airlock.tenant.TenantQuota;
import dev.airlock.tenant.TenantQuotas;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /v1/tenants/{tenant}/quota}: ADMIN sets; ADMIN, OPERATOR and the tenant's own
 * keys read.
 */
@Tag(name = "Tenants")
@RestController
@RequestMapping("/v1/tenants/{tenant}/quota")
class TenantQuotaController {

	static final String TENANT = "[A-Za-z0-9][A-Za-z0-9._-]{0,62}";

	/** The most of either limit a quota may give; far beyond one engine's capacity. */
	static final int MAX_LIMIT = 10000;

	private final TenantQuotas quotas;

	TenantQuotaController(TenantQuotas quotas) {
		this.quotas = quotas;
	}

	/**
	 * The body of a quota change; {@code tenant} may be left out, else it is the path's.
	 */
	record QuotaRequest(@Nullable String tenant, @NotNull @Positive @Max(MAX_LIMIT) Integer maxSandboxes,
			@NotNull @Positive @Max(MAX_LIMIT) Integer maxConcurrentUploads) {
	}

	@Operation(operationId = "getTenantQuota", summary = "A tenant's quota: its own, or the configured defaults")
	@ProblemCodes({ ErrorCode.NOT_FOUND })
	@GetMapping
	TenantQuota get(@PathVariable @Pattern(regexp = TENANT, message = "must be a tenant name") String tenant,
			@AuthenticationPrincipal Caller caller) {
		return quotas.get(tenant, caller);
	}

	@Operation(operationId = "setTenantQuota", summary = "Set a tenant's quota (ADMIN)")
	@PutMapping(produces = MediaType.APPLICATION_JSON_VALUE)
	TenantQuota set(@PathVariable @Pattern(regexp = TENANT, message = "must be a tenant name") String tenant,
			@Valid @RequestBody QuotaRequest request, @AuthenticationPrincipal Caller caller) {
		if (request.tenant() != null && !request.tenant().equals(tenant)) {
			throw ValidationFailed.of("tenant", "must match the tenant in the path ('" + tenant + "') or be left out");
		}
		return quotas.set(new TenantQuota(tenant, request.maxSandboxes(), request.maxConcurrentUploads()),
				caller.actor());
	}

}
