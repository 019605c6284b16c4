package dev.airlock.core.web;

import java.util.ArrayList;

import dev.airlock.core.AirlockException;
import dev.airlock.core.ErrorCode;
import dev.airlock.core.FieldViolation;
import dev.airlock.core.Problems;
import dev.airlock.core.ValidationFailed;
import jakarta.validation.ConstraintViolationException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.validation.FieldError;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Maps every exception, Airlock's own and Spring's, to one RFC 9457 problem with a stable
 * {@code code}. Nothing the client sees carries a stack trace or an internal class name.
 */
@RestControllerAdvice
class ProblemHandling extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ProblemHandling.class);

	@ExceptionHandler(AirlockException.class)
	ResponseEntity<ProblemDetail> airlock(AirlockException exception) {
		if (exception.code().status().is5xxServerError()) {
			log.warn("{}: {}", exception.code(), exception.getMessage());
		}
		return Problems.response(exception);
	}

	@ExceptionHandler(ConstraintViolationException.class)
	ResponseEntity<ProblemDetail> constraintViolation(ConstraintViolationException exception) {
		var violations = exception.getConstraintViolations()
			.stream()
			.map(v -> new FieldViolation(lastNode(v.getPropertyPath().toString()), v.getMessage()))
			.toList();
		return airlock(new ValidationFailed(violations));
	}

	@ExceptionHandler({ CannotGetJdbcConnectionException.class, CannotCreateTransactionException.class,
			DataAccessResourceFailureException.class })
	ResponseEntity<ProblemDetail> databaseDown(Exception exception) {
		log.error("Database unavailable: {}", exception.getMessage());
		return Problems
			.response(Problems.of(ErrorCode.DATABASE_UNAVAILABLE, "The database is unavailable; try again shortly."));
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<ProblemDetail> unexpected(Exception exception) {
		log.error("Unexpected failure", exception);
		return Problems.response(Problems.of(ErrorCode.INTERNAL_ERROR, "An unexpected error occurred."));
	}

	@Override
	protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException exception,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		var violations = new ArrayList<FieldViolation>();
		for (var error : exception.getBindingResult().getAllErrors()) {
			var field = error instanceof FieldError fieldError ? fieldError.getField() : error.getObjectName();
			violations.add(new FieldViolation(field, error.getDefaultMessage()));
		}
		return body(Problems.of(new ValidationFailed(violations)));
	}

	@Override
	protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException exception,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		var violations = new ArrayList<FieldViolation>();
		exception.getParameterValidationResults().forEach(result -> {
			var name = result.getMethodParameter().getParameterName();
			result.getResolvableErrors().forEach(error -> {
				var field = error instanceof FieldError fieldError ? fieldError.getField() : name;
				violations.add(new FieldViolation(field, error.getDefaultMessage()));
			});
		});
		return body(Problems.of(new ValidationFailed(violations)));
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException exception,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		for (Throwable t = exception; t != null; t = t.getCause()) {
			if (t instanceof RequestBodyLimitFilter.BodyTooLarge) {
				return body(Problems.of(ErrorCode.PAYLOAD_TOO_LARGE, "The request body is too large."));
			}
		}
		var cause = exception.getMostSpecificCause();
		if (cause instanceof UnrecognizedPropertyException unknown) {
			return body(Problems.of(ValidationFailed.of(ValidationFailed.fieldOf(unknown, unknown.getPropertyName()),
					"unknown field")));
		}
		if (cause instanceof InvalidFormatException || cause instanceof MismatchedInputException) {
			var field = ValidationFailed.fieldOf((JacksonException) cause, "body");
			return body(Problems.of(ValidationFailed.of(field, "wrong type or format")));
		}
		var detail = cause instanceof JacksonException jackson ? notJson(jackson)
				: "The request body is missing or unreadable.";
		return body(Problems.of(ErrorCode.MALFORMED_REQUEST, detail));
	}

	@Override
	protected ResponseEntity<Object> handleMissingServletRequestParameter(
			MissingServletRequestParameterException exception, HttpHeaders headers, HttpStatusCode status,
			WebRequest request) {
		return body(Problems.of(ValidationFailed.of(exception.getParameterName(), "is required")));
	}

	@ExceptionHandler(MethodArgumentTypeMismatchException.class)
	ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException exception) {
		return airlock(ValidationFailed.of(exception.getName(), "has an invalid value"));
	}

	@Override
	protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException exception,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		return body(Problems.of(ErrorCode.NOT_FOUND, "No such endpoint: " + exception.getResourcePath()));
	}

	@Override
	protected ResponseEntity<Object> handleHttpRequestMethodNotSupported(
			HttpRequestMethodNotSupportedException exception, HttpHeaders headers, HttpStatusCode status,
			WebRequest request) {
		var problem = Problems.of(ErrorCode.METHOD_NOT_ALLOWED,
				"Method " + exception.getMethod() + " is not supported here.");
		var allow = new HttpHeaders();
		if (exception.getSupportedHttpMethods() != null) {
			allow.setAllow(exception.getSupportedHttpMethods());
		}
		return ResponseEntity.status(problem.getStatus())
			.headers(allow)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(problem);
	}

	@Override
	protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException exception,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		return body(Problems.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
				"Content type " + exception.getContentType() + " is not supported here."));
	}

	@Override
	protected ResponseEntity<Object> handleHttpMediaTypeNotAcceptable(HttpMediaTypeNotAcceptableException exception,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		return body(Problems.of(ErrorCode.NOT_ACCEPTABLE, "No acceptable representation."));
	}

	@Override
	protected ResponseEntity<Object> handleMaxUploadSizeExceededException(MaxUploadSizeExceededException exception,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		return body(Problems.of(ErrorCode.PAYLOAD_TOO_LARGE, "The request body is too large."));
	}

	/**
	 * Whatever Spring answers without a dedicated handler still becomes a problem with a
	 * code.
	 */
	@Override
	protected ResponseEntity<Object> handleExceptionInternal(Exception exception, @Nullable Object body,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		if (body instanceof ProblemDetail problem && problem.getProperties() != null
				&& problem.getProperties().containsKey("code")) {
			return super.handleExceptionInternal(exception, body, headers, status, request);
		}
		var code = status.is5xxServerError() ? ErrorCode.INTERNAL_ERROR
				: status.value() == 404 ? ErrorCode.NOT_FOUND : ErrorCode.MALFORMED_REQUEST;
		var detail = body instanceof ProblemDetail problem && problem.getDetail() != null ? problem.getDetail()
				: code.title();
		return super.handleExceptionInternal(exception, Problems.of(code, status, detail), headers, status, request);
	}

	private ResponseEntity<Object> body(ProblemDetail problem) {
		return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

	private static String notJson(JacksonException exception) {
		// StreamReadFeature.STRICT_DUPLICATE_DETECTION's words; the name itself is not
		// echoed
		return String.valueOf(exception.getOriginalMessage()).startsWith("Duplicate")
				? "The request body is not valid JSON: it names a field twice." : "The request body is not valid JSON.";
	}

	private static String lastNode(String propertyPath) {
		// "create.request.image" -> "image": the method and parameter names mean nothing
		// to a client
		return propertyPath.substring(propertyPath.lastIndexOf('.') + 1);
	}

}
