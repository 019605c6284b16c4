package dev.airlock.exec.web;

import java.io.IOException;

import dev.airlock.core.AirlockException;
import dev.airlock.core.ErrorCode;
import dev.airlock.core.ProblemCodes;
import dev.airlock.core.ProblemWriter;
import dev.airlock.core.Problems;
import dev.airlock.exec.ExecRequest;
import dev.airlock.exec.ExecResult;
import dev.airlock.exec.ExecService;
import dev.airlock.runtime.EventStream;
import dev.airlock.runtime.ExecCancelled;
import dev.airlock.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /v1/sandboxes/{id}/exec}: JSON when the command has ended, or Server-Sent
 * Events as it runs.
 */
@Tag(name = "Exec")
@RestController
class ExecController {

	private static final Logger log = LoggerFactory.getLogger(ExecController.class);

	static final String SUMMARY = "Run a command in a sandbox: JSON once it has ended, or Server-Sent Events as it "
			+ "runs (Accept: text/event-stream)";

	static final String EVENTS = "application/json: the result once the command has ended (ExecResult); "
			+ "text/event-stream: Server-Sent Events as the command runs: 'stdout' and 'stderr' (data: a chunk of "
			+ "the output as UTF-8 text, one data line per line), then one 'exit' (data: JSON {exitCode, durationMs, "
			+ "timedOut, stdoutTruncated, stderrTruncated, egressDenied}) or, if the exec fails once output has been "
			+ "sent, one 'error' (data: a JSON problem, see Problem)";

	private final ExecService execs;

	private final ProblemWriter problems;

	private final JsonMapper json;

	ExecController(ExecService execs, ProblemWriter problems, JsonMapper json) {
		this.execs = execs;
		this.problems = problems;
		this.json = json;
	}

	@Operation(operationId = "execCommand", summary = SUMMARY)
	@ProblemCodes({ ErrorCode.SANDBOX_NOT_FOUND, ErrorCode.SANDBOX_NOT_RUNNING, ErrorCode.POLICY_VIOLATION,
			ErrorCode.PATH_NOT_ALLOWED, ErrorCode.RUNTIME_ERROR, ErrorCode.RUNTIME_UNAVAILABLE })
	@PostMapping(path = "/v1/sandboxes/{id}/exec", produces = MediaType.APPLICATION_JSON_VALUE)
	ExecResult exec(@PathVariable String id, @Valid @RequestBody ExecRequest request,
			@AuthenticationPrincipal Caller caller) {
		return execs.run(id, request.toCommand(), caller);
	}

	@Operation(operationId = "execCommand", summary = SUMMARY,
			responses = @ApiResponse(responseCode = "200", description = EVENTS,
					content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
							schema = @Schema(type = "string"))))
	@ProblemCodes({ ErrorCode.SANDBOX_NOT_FOUND, ErrorCode.SANDBOX_NOT_RUNNING, ErrorCode.POLICY_VIOLATION,
			ErrorCode.PATH_NOT_ALLOWED, ErrorCode.RUNTIME_ERROR, ErrorCode.RUNTIME_UNAVAILABLE })
	@PostMapping(path = "/v1/sandboxes/{id}/exec", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	void stream(@PathVariable String id, @Valid @RequestBody ExecRequest request,
			@AuthenticationPrincipal Caller caller, HttpServletResponse response) throws IOException {
		response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
		response.setCharacterEncoding("UTF-8");
		response.setHeader("Cache-Control", "no-cache");
		response.setHeader("X-Accel-Buffering", "no");
		try (var events = new EventStream(response.getOutputStream())) {
			try {
				var summary = execs.stream(id, request.toCommand(), caller, events);
				events.event("exit", json.writeValueAsString(summary));
			}
			catch (AirlockException e) {
				if (!response.isCommitted()) {
					// nothing streamed yet: an ordinary problem
					problems.write(response, Problems.of(e));
				}
				else {
					events.event("error", json.writeValueAsString(Problems.of(e)));
				}
			}
			catch (ExecCancelled e) {
				log.debug("Exec in {} cancelled: the client went away", id);
			}
		}
	}

}
