package dev.airlock.mcp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.airlock.core.AirlockException;
import dev.airlock.core.ErrorCode;
import dev.airlock.core.FieldViolation;
import dev.airlock.core.Problems;
import dev.airlock.core.ValidationFailed;
import dev.airlock.security.Caller;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs a tool call the way the REST API runs a request: the arguments become a validated
 * record (unknown or ill-typed fields are refused), the service is called as the
 * request's caller, and the answer is JSON; a problem is a result with {@code isError}
 * whose text starts with the contract's {@code code}, never a stack trace.
 */
@Component
class ToolCalls {

	private static final Logger log = LoggerFactory.getLogger(ToolCalls.class);

	private static final String SANDBOX_ID = "sandboxId";

	private final JsonMapper json;

	private final Validator validator;

	private final McpJsonMapper mcpJson;

	ToolCalls(JsonMapper json, Validator validator, McpJsonMapper mcpJson) {
		this.json = json;
		this.validator = validator;
		this.mcpJson = mcpJson;
	}

	/** What a tool does with its validated arguments; answers a JSON object. */
	@FunctionalInterface
	interface Action<A> {

		Object run(A arguments, Caller caller) throws IOException;

	}

	/** What a tool does in one sandbox with its other, validated arguments. */
	@FunctionalInterface
	interface SandboxAction<A> {

		Object run(String sandboxId, A arguments, Caller caller) throws IOException;

	}

	/**
	 * The tool {@code name}: described by {@code name.json} next to this class, its
	 * arguments read into {@code argumentsType}.
	 */
	<A> SyncToolSpecification define(String name, Class<A> argumentsType, Action<A> action) {
		return tool(name, (raw, caller) -> action.run(arguments(raw, argumentsType), caller));
	}

	/**
	 * The tool {@code name} that acts in the sandbox its {@code sandboxId} names; its
	 * other arguments are read into {@code argumentsType} (a REST request body).
	 */
	<A> SyncToolSpecification defineInSandbox(String name, Class<A> argumentsType, SandboxAction<A> action) {
		return tool(name, (raw, caller) -> {
			var rest = new HashMap<>(raw);
			if (!(rest.remove(SANDBOX_ID) instanceof String sandboxId) || sandboxId.isBlank()) {
				throw ValidationFailed.of(SANDBOX_ID, "must not be blank");
			}
			return action.run(sandboxId, arguments(rest, argumentsType), caller);
		});
	}

	private SyncToolSpecification tool(String name, Action<Map<String, Object>> action) {
		return new SyncToolSpecification(definition(name), (context, request) -> call(name, action, context, request));
	}

	private CallToolResult call(String name, Action<Map<String, Object>> action, McpTransportContext context,
			CallToolRequest request) {
		try {
			var raw = request.arguments() == null ? Map.<String, Object>of() : request.arguments();
			var answer = action.run(raw, CallerContext.callerOf(context));
			return result(json.writeValueAsString(answer), answer, false);
		}
		catch (AirlockException e) {
			if (e.code().status().is5xxServerError()) {
				log.warn("{} in tool {}: {}", e.code(), name, e.getMessage());
			}
			return problem(Problems.of(e));
		}
		catch (IOException | RuntimeException e) {
			log.error("Tool {} failed", name, e);
			return problem(Problems.of(ErrorCode.INTERNAL_ERROR, "An unexpected error occurred."));
		}
	}

	private <A> A arguments(Map<String, Object> raw, Class<A> type) {
		A arguments;
		try {
			arguments = json.convertValue(raw, type);
		}
		catch (UnrecognizedPropertyException e) {
			throw ValidationFailed.of(ValidationFailed.fieldOf(e, e.getPropertyName()), "unknown field");
		}
		catch (JacksonException e) {
			throw ValidationFailed.of(ValidationFailed.fieldOf(e, "arguments"), "wrong type or format");
		}
		var violations = validator.validate(arguments);
		if (!violations.isEmpty()) {
			throw new ValidationFailed(violations.stream()
				.map(ToolCalls::violation)
				.sorted(Comparator.comparing(FieldViolation::field))
				.toList());
		}
		return arguments;
	}

	private static FieldViolation violation(ConstraintViolation<?> violation) {
		var field = new StringBuilder();
		for (Path.Node node : violation.getPropertyPath()) {
			if (node.getName() != null && !node.getName().startsWith("<")) {
				field.append(field.isEmpty() ? "" : ".").append(node.getName());
			}
			if (node.getKey() != null || node.getIndex() != null) {
				field.append('[').append(node.getKey() != null ? node.getKey() : node.getIndex()).append(']');
			}
		}
		return new FieldViolation(field.toString(), violation.getMessage());
	}

	private CallToolResult problem(ProblemDetail problem) {
		var code = String.valueOf(problem.getProperties() == null ? null : problem.getProperties().get("code"));
		return result(code + ": " + problem.getDetail(), problem, true);
	}

	private CallToolResult result(String text, Object structured, boolean error) {
		var content = json.convertValue(structured, new TypeReference<Map<String, Object>>() {
		});
		return CallToolResult.builder().addTextContent(text).structuredContent(content).isError(error).build();
	}

	private Tool definition(String name) {
		try (InputStream in = ToolCalls.class.getResourceAsStream(name + ".json")) {
			if (in == null) {
				throw new IllegalStateException("no definition of the MCP tool " + name);
			}
			var definition = new HashMap<>(mcpJson.readValue(new String(in.readAllBytes(), StandardCharsets.UTF_8),
					new TypeRef<Map<String, Object>>() {
					}));
			definition.put("name", name);
			return mcpJson.convertValue(definition, Tool.class);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	static List<SyncToolSpecification> all(List<ToolSet> sets) {
		return sets.stream().flatMap(set -> set.tools().stream()).toList();
	}

}
