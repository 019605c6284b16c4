package dev.airlock.audit.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import dev.airlock.audit.AuditEvent;
import dev.airlock.audit.AuditLog;
import dev.airlock.audit.AuditLog.Verification;
import dev.airlock.audit.AuditQuery;
import dev.airlock.core.PageResponse;
import dev.airlock.core.Paging;
import dev.airlock.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Sort;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /v1/audit-events}: read (AGENT: its own tenant), verify and export (ADMIN,
 * OPERATOR).
 */
@Tag(name = "Audit")
@RestController
@RequestMapping("/v1/audit-events")
class AuditController {

	private final AuditLog audit;

	private final JsonMapper json;

	AuditController(AuditLog audit, JsonMapper json) {
		this.audit = audit;
		this.json = json;
	}

	@Operation(operationId = "listAuditEvents",
			summary = "Events in chain order; filters: sandboxId, tenant, type, since, until")
	@GetMapping
	PageResponse<AuditEvent> list(@RequestParam(required = false) @Nullable String sandboxId,
			@RequestParam(required = false) @Nullable String tenant,
			@RequestParam(required = false) @Nullable String type,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) @Nullable Instant since,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) @Nullable Instant until,
			@RequestParam(required = false) @Nullable Integer page,
			@RequestParam(required = false) @Nullable Integer size, @AuthenticationPrincipal Caller caller) {
		var paging = Paging.of(page, size, Sort.unsorted());
		if (!caller.seesAllTenants() && tenant != null && !tenant.equals(caller.tenant())) {
			return new PageResponse<>(List.of(), paging.getPageNumber(), paging.getPageSize(), 0);
		}
		var query = new AuditQuery(caller.seesAllTenants() ? tenant : caller.tenant(), sandboxId, type, since, until);
		return new PageResponse<>(audit.find(query, paging.getPageNumber(), paging.getPageSize()),
				paging.getPageNumber(), paging.getPageSize(), audit.count(query));
	}

	@Operation(operationId = "verifyAuditLog", summary = "Walk the whole chain: {valid, checked, firstBrokenSeq}")
	@GetMapping("/verify")
	Verification verify() {
		return audit.verify();
	}

	@Operation(operationId = "exportAuditLog",
			summary = "NDJSON: one event a line, then {\"manifest\": {firstSeq, lastSeq, count, headHash}}",
			responses = @ApiResponse(responseCode = "200",
					description = "One audit event (JSON) a line, then the manifest",
					content = @Content(mediaType = "application/x-ndjson", schema = @Schema(type = "string"))))
	@GetMapping("/export") // NDJSON whatever the Accept, as readFile
	void export(
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) @Nullable Instant since,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) @Nullable Instant until,
			HttpServletResponse response) throws IOException {
		response.setContentType("application/x-ndjson");
		response.setCharacterEncoding("UTF-8");
		var out = response.getOutputStream();
		var walk = new AuditLog.ChainWalk();
		var first = new long[] { -1 };
		var last = new long[] { -1 };
		audit.stream(new AuditQuery(null, null, null, since, until), event -> {
			try {
				out.write(json.writeValueAsBytes(event));
				out.write('\n');
			}
			catch (IOException e) {
				throw new UncheckedIOException(e);
			}
			if (first[0] < 0) {
				first[0] = event.seq();
			}
			last[0] = event.seq();
			walk.accept(event);
		});
		var manifest = json.createObjectNode();
		var body = manifest.putObject("manifest");
		body.put("firstSeq", first[0] < 0 ? null : first[0]);
		body.put("lastSeq", last[0] < 0 ? null : last[0]);
		body.put("count", walk.result().checked());
		body.put("headHash", walk.headHash());
		out.write(json.writeValueAsString(manifest).getBytes(StandardCharsets.UTF_8));
		out.write('\n');
	}

}
