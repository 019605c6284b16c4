package dev.airlock.enforcement.web;

import java.util.List;

import dev.airlock.enforcement.Halt;
import dev.airlock.enforcement.HaltService;
import dev.airlock.enforcement.HaltService.HaltResult;
import dev.airlock.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** {@code /v1/admin/halt}: the fail-safe (ADMIN and OPERATOR). */
@Tag(name = "Halt")
@RestController
@RequestMapping("/v1/admin/halt")
class HaltController {

	private final HaltService halts;

	HaltController(HaltService halts) {
		this.halts = halts;
	}

	/** The body of a halt: the tenant ({@code null}: everyone) and why. */
	record HaltRequest(@Nullable @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,62}",
			message = "must be a tenant name") String tenant, @NotBlank @Size(max = 1000) String reason) {
	}

	@Operation(operationId = "createHalt",
			summary = "Kill every running sandbox of a tenant (or of all) now and refuse creates until lifted")
	@PostMapping(produces = MediaType.APPLICATION_JSON_VALUE)
	HaltResult halt(@Valid @RequestBody HaltRequest request, @AuthenticationPrincipal Caller caller) {
		return halts.halt(request.tenant(), request.reason(), caller.actor());
	}

	@Operation(operationId = "listHalts", summary = "The active halts")
	@GetMapping
	List<Halt> active() {
		return halts.active();
	}

	@Operation(operationId = "liftHalt", summary = "Lift the halt of a tenant (no tenant: the global halt)")
	@DeleteMapping
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void lift(@RequestParam(required = false) @Nullable String tenant, @AuthenticationPrincipal Caller caller) {
		halts.lift(tenant, caller.actor());
	}

}
