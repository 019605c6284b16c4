package dev.airlock.exec.web;

import java.io.IOException;

import dev.airlock.core.AirlockException;
import dev.airlock.core.ProblemWriter;
import dev.airlock.core.Problems;
import dev.airlock.exec.ExecResult;
import dev.airlock.exec.ExecService;
import dev.airlock.runtime.EventStream;
import dev.airlock.runtime.ExecCancelled;
import dev.airlock.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
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

	private final ExecService execs;

	private final ProblemWriter problems;

	private final JsonMapper json;

	ExecController(ExecService execs, ProblemWriter problems, JsonMapper json) {
		this.execs = execs;
		this.problems = problems;
		this.json = json;
	}

	@Operation(summary = "Run a command in a sandbox and answer once it has ended")
	@PostMapping(path = "/v1/sandboxes/{id}/exec", produces = MediaType.APPLICATION_JSON_VALUE)
	ExecResult exec(@PathVariable String id, @Valid @RequestBody ExecRequest request,
			@AuthenticationPrincipal Caller caller) {
		return execs.run(id, request.toCommand(), caller);
	}

	@Operation(summary = "Run a command and stream its output as Server-Sent Events: stdout, stderr, then exit")
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
