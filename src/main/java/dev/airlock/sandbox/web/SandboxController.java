package dev.airlock.sandbox.web;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;

import dev.airlock.core.AirlockException;
import dev.airlock.core.ErrorCode;
import dev.airlock.core.PageResponse;
import dev.airlock.core.Paging;
import dev.airlock.core.ProblemCodes;
import dev.airlock.core.ValidationFailed;
import dev.airlock.runtime.EventStream;
import dev.airlock.sandbox.CreateSandboxRequest;
import dev.airlock.sandbox.SandboxFilter;
import dev.airlock.sandbox.SandboxQueries;
import dev.airlock.sandbox.SandboxService;
import dev.airlock.sandbox.SandboxStats;
import dev.airlock.sandbox.SandboxStatus;
import dev.airlock.sandbox.SandboxView;
import dev.airlock.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
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

/** {@code /v1/sandboxes}: create, look at, list and destroy sandboxes. */
@Tag(name = "Sandboxes")
@RestController
@RequestMapping("/v1/sandboxes")
class SandboxController {

	private static final Sort NEWEST_FIRST = Sort.by(Sort.Order.desc("createdAt"), Sort.Order.desc("id"));

	private static final String LOG_EVENTS = "text/plain: the output; with ?follow=true and Accept: text/event-stream: "
			+ "Server-Sent Events, "
			+ "the last ?tail=N lines first, then new output until the sandbox ends; event 'stdout' or 'stderr', "
			+ "data: a chunk of the output as UTF-8 text (one data line per line)";

	private final SandboxService sandboxes;

	private final SandboxQueries queries;

	SandboxController(SandboxService sandboxes, SandboxQueries queries) {
		this.sandboxes = sandboxes;
		this.queries = queries;
	}

	@Operation(operationId = "createSandbox",
			summary = "Create a sandbox; answers 201 once it is RUNNING and ready for exec")
	@ProblemCodes({ ErrorCode.POLICY_NOT_FOUND, ErrorCode.IMAGE_NOT_ALLOWED, ErrorCode.POLICY_VIOLATION,
			ErrorCode.POLICY_NOT_ALLOWED, ErrorCode.SANDBOX_NOT_RUNNING, ErrorCode.IMAGE_NOT_FOUND,
			ErrorCode.SANDBOX_START_FAILED, ErrorCode.QUOTA_EXCEEDED, ErrorCode.HALTED, ErrorCode.RUNTIME_ERROR,
			ErrorCode.RUNTIME_UNAVAILABLE })
	@PostMapping(produces = MediaType.APPLICATION_JSON_VALUE)
	@ResponseStatus(HttpStatus.CREATED)
	ResponseEntity<SandboxView> create(@Valid @RequestBody CreateSandboxRequest request,
			@AuthenticationPrincipal Caller caller, UriComponentsBuilder uris) {
		var created = sandboxes.create(request.toNewSandbox(), caller);
		return ResponseEntity.created(uris.path("/v1/sandboxes/{id}").build(created.id())).body(created);
	}

	@Operation(operationId = "getSandbox", summary = "One sandbox")
	@ProblemCodes({ ErrorCode.SANDBOX_NOT_FOUND })
	@GetMapping("/{id}")
	SandboxView get(@PathVariable String id, @AuthenticationPrincipal Caller caller) {
		return queries.get(id, caller);
	}

	@Operation(operationId = "listSandboxes",
			summary = "List sandboxes, newest first; filters: status, label=key:value (repeatable), tenant")
	@GetMapping
	PageResponse<SandboxView> list(@RequestParam(required = false) @Nullable SandboxStatus status,
			@RequestParam(name = "label", required = false) @Nullable List<String> labels,
			@RequestParam(required = false) @Nullable String tenant,
			@RequestParam(required = false) @Nullable Integer page,
			@RequestParam(required = false) @Nullable Integer size, @AuthenticationPrincipal Caller caller) {
		var filter = new SandboxFilter(tenant, status, parseLabels(labels));
		return PageResponse.of(queries.list(filter, Paging.of(page, size, NEWEST_FIRST), caller), view -> view);
	}

	/** The body of {@code POST /v1/sandboxes/{id}/timeout}. */
	record TimeoutRequest(@NotNull @Positive @Max(30 * 24 * 3600) Integer ttlSeconds) {
	}

	@Operation(operationId = "setSandboxTimeout",
			summary = "Move the lease: expires at now + ttlSeconds, capped by the policy's maxTtlSeconds")
	@ProblemCodes({ ErrorCode.SANDBOX_NOT_FOUND, ErrorCode.SANDBOX_NOT_RUNNING })
	@PostMapping(path = "/{id}/timeout", produces = MediaType.APPLICATION_JSON_VALUE)
	SandboxView timeout(@PathVariable String id, @Valid @RequestBody TimeoutRequest request,
			@AuthenticationPrincipal Caller caller) {
		return sandboxes.extend(id, request.ttlSeconds(), caller);
	}

	@Operation(operationId = "getSandboxStats",
			summary = "Live usage: cpuPercent, memoryBytes, memoryLimitBytes, pids, networkRxBytes, networkTxBytes")
	@ProblemCodes({ ErrorCode.SANDBOX_NOT_FOUND, ErrorCode.SANDBOX_NOT_RUNNING, ErrorCode.RUNTIME_ERROR,
			ErrorCode.RUNTIME_UNAVAILABLE })
	@GetMapping("/{id}/stats")
	SandboxStats stats(@PathVariable String id, @AuthenticationPrincipal Caller caller) {
		return sandboxes.stats(id, caller);
	}

	@Operation(operationId = "getSandboxLogs",
			summary = "The main process's output: text, or with ?follow=true "
					+ "Server-Sent Events; ?tail=N for the last N lines",
			responses = @ApiResponse(responseCode = "200", description = LOG_EVENTS,
					content = @Content(mediaType = MediaType.TEXT_PLAIN_VALUE, schema = @Schema(type = "string"))))
	@ProblemCodes({ ErrorCode.SANDBOX_NOT_FOUND, ErrorCode.SANDBOX_NOT_RUNNING, ErrorCode.NOT_ACCEPTABLE,
			ErrorCode.RUNTIME_ERROR, ErrorCode.RUNTIME_UNAVAILABLE })
	// text whatever the Accept, as readFile; SSE below when asked for
	@GetMapping("/{id}/logs")
	void logs(@PathVariable String id, @RequestParam(defaultValue = "1000") @Min(0) @Max(100_000) int tail,
			@RequestParam(defaultValue = "false") boolean follow, @AuthenticationPrincipal Caller caller,
			HttpServletResponse response) throws IOException {
		if (follow) {
			throw new FollowNeedsEvents();
		}
		var text = sandboxes.logs(id, tail, caller);
		response.setContentType(MediaType.TEXT_PLAIN_VALUE);
		response.setCharacterEncoding("UTF-8");
		response.getWriter().write(text);
	}

	@Operation(operationId = "getSandboxLogs",
			summary = "The main process's output: text, or with ?follow=true "
					+ "Server-Sent Events; ?tail=N for the last N lines",
			responses = @ApiResponse(responseCode = "200", description = LOG_EVENTS,
					content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
							schema = @Schema(type = "string"))))
	@ProblemCodes({ ErrorCode.SANDBOX_NOT_FOUND, ErrorCode.SANDBOX_NOT_RUNNING, ErrorCode.NOT_ACCEPTABLE,
			ErrorCode.RUNTIME_ERROR, ErrorCode.RUNTIME_UNAVAILABLE })
	@GetMapping(path = "/{id}/logs", params = "follow=true", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	void followLogs(@PathVariable String id, @RequestParam(defaultValue = "1000") @Min(0) @Max(100_000) int tail,
			@AuthenticationPrincipal Caller caller, HttpServletResponse response) throws IOException {
		// refused before anything streams: an ordinary problem
		sandboxes.requireRunning(id, caller);
		startEvents(response);
		try (var events = new EventStream(response.getOutputStream())) {
			sandboxes.followLogs(id, tail, caller, events);
		}
	}

	/** {@code ?follow=true} asked of the plain-text representation. */
	static final class FollowNeedsEvents extends AirlockException {

		FollowNeedsEvents() {
			super(ErrorCode.NOT_ACCEPTABLE, "Following the logs needs 'Accept: text/event-stream'.");
		}

	}

	private static void startEvents(HttpServletResponse response) {
		response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
		response.setCharacterEncoding("UTF-8");
		response.setHeader("Cache-Control", "no-cache");
		response.setHeader("X-Accel-Buffering", "no");
	}

	@Operation(operationId = "deleteSandbox", summary = "Destroy a sandbox; idempotent")
	@ProblemCodes({ ErrorCode.SANDBOX_NOT_FOUND, ErrorCode.RUNTIME_ERROR, ErrorCode.RUNTIME_UNAVAILABLE })
	@DeleteMapping("/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void delete(@PathVariable String id, @AuthenticationPrincipal Caller caller) {
		sandboxes.delete(id, caller);
	}

	private static LinkedHashMap<String, String> parseLabels(@Nullable List<String> labels) {
		var parsed = new LinkedHashMap<String, String>();
		if (labels == null) {
			return parsed;
		}
		var errors = new ValidationFailed.Collector();
		for (var label : labels) {
			var colon = label.indexOf(':');
			if (colon <= 0) {
				errors.add("label", "must be key:value");
				continue;
			}
			parsed.put(label.substring(0, colon), label.substring(colon + 1));
		}
		errors.throwIfAny();
		return parsed;
	}

}
