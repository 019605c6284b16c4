package dev.airlock.core.web;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import dev.airlock.core.ErrorCode;
import dev.airlock.core.ProblemCodes;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.method.HandlerMethod;

/**
 * Every operation's problems, each status with the codes it stands for: those every call
 * may answer, a request body's, and the operation's own ({@link ProblemCodes}). All are
 * {@code application/problem+json} with the one {@code Problem} schema, which has every
 * member the service writes.
 */
class ProblemResponses implements OperationCustomizer, OpenApiCustomizer {

	static final String PROBLEM = "application/problem+json";

	private static final List<ErrorCode> EVERY_CALL = List.of(ErrorCode.UNAUTHENTICATED, ErrorCode.FORBIDDEN,
			ErrorCode.RATE_LIMITED, ErrorCode.DATABASE_UNAVAILABLE);

	private static final List<ErrorCode> A_BODY = List.of(ErrorCode.VALIDATION_FAILED, ErrorCode.MALFORMED_REQUEST,
			ErrorCode.PAYLOAD_TOO_LARGE, ErrorCode.UNSUPPORTED_MEDIA_TYPE);

	@Override
	public Operation customize(Operation operation, HandlerMethod handler) {
		var codes = new LinkedHashSet<ErrorCode>();
		// a JSON body (a raw one, an upload's, lists its own problems)
		var withBody = Arrays.stream(handler.getMethodParameters())
			.anyMatch(parameter -> parameter.hasParameterAnnotation(RequestBody.class));
		if (withBody) {
			codes.addAll(A_BODY);
		}
		else if (operation.getRequestBody() != null
				|| operation.getParameters() != null && !operation.getParameters().isEmpty()) {
			codes.add(ErrorCode.VALIDATION_FAILED);
		}
		var own = handler.getMethodAnnotation(ProblemCodes.class);
		if (own != null) {
			codes.addAll(List.of(own.value()));
		}
		codes.addAll(EVERY_CALL);
		var byStatus = new TreeMap<Integer, Set<ErrorCode>>();
		codes.forEach(
				code -> byStatus.computeIfAbsent(code.status().value(), status -> new LinkedHashSet<>()).add(code));
		var content = new Content().addMediaType(PROBLEM,
				new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem")));
		byStatus.forEach((status, ofStatus) -> {
			var response = new ApiResponse()
				.description(
						ofStatus.stream().map(ErrorCode::name).collect(Collectors.joining(", ", "A problem: ", "")))
				.content(content);
			if (status == 429) {
				response.addHeaderObject("Retry-After",
						new Header().description("Seconds to wait before retrying").schema(new IntegerSchema()));
			}
			operation.getResponses().addApiResponse(String.valueOf(status), response);
		});
		return operation;
	}

	@Override
	public void customise(OpenAPI openApi) {
		openApi.getComponents().addSchemas("Problem", problem());
		openApi.getComponents().addSchemas("FieldViolation", violation());
	}

	private static Schema<?> problem() {
		var codes = Arrays.stream(ErrorCode.values()).map(Enum::name).toList();
		var properties = new TreeMap<String, Schema>(Map.of("type",
				new StringSchema().format("uri").description("One URI per code"), "title",
				new StringSchema().description("The code's title"), "status",
				new IntegerSchema().description("The HTTP status"), "detail",
				new StringSchema().description("What went wrong, for people"), "instance",
				new StringSchema().description("The request's path, when the refusal came from a controller"), "code",
				new StringSchema()._enum(codes).description("The stable, machine-readable code"), "errors",
				new ArraySchema().items(new Schema<>().$ref("#/components/schemas/FieldViolation"))
					.description("VALIDATION_FAILED: every bad field"),
				"sandboxId",
				new StringSchema().description("A create that got as far as a sandbox: its id (now FAILED)"), "limit",
				new StringSchema().description("QUOTA_EXCEEDED: the cap that was hit, e.g. "
						+ "tenant.maxSandboxes, policy.maxSandboxesPerTenant, tenant.maxConcurrentUploads")));
		return new ObjectSchema().description("An RFC 9457 problem with a stable machine-readable code")
			.properties(properties)
			.required(new ArrayList<>(List.of("code", "detail", "status", "title", "type")));
	}

	private static Schema<?> violation() {
		return new ObjectSchema().description("One bad field of a request")
			.addProperty("field", new StringSchema().description("Its JSON path or parameter name"))
			.addProperty("message", new StringSchema().description("What is wrong with it"))
			.required(new ArrayList<>(List.of("field", "message")));
	}

}
