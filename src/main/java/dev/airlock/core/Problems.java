package dev.airlock.core;

import java.net.URI;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * Builds Airlock's RFC 9457 problem bodies: {@code type}, {@code title}, {@code status},
 * {@code detail}, {@code code}.
 */
public final class Problems {

	private Problems() {
	}

	public static ProblemDetail of(ErrorCode code, String detail) {
		return of(code, code.status(), detail);
	}

	/**
	 * The one place every problem is made: whatever its detail says, it never names the
	 * engine's host ({@link HostPaths}).
	 */
	public static ProblemDetail of(ErrorCode code, HttpStatusCode status, String detail) {
		var problem = ProblemDetail.forStatusAndDetail(status, HostPaths.hide(detail));
		problem.setType(URI.create(code.typeUri()));
		problem.setTitle(code.title());
		problem.setProperty("code", code.name());
		return problem;
	}

	public static ProblemDetail of(AirlockException exception) {
		var problem = of(exception.code(), exception.getMessage());
		exception.properties().forEach(problem::setProperty);
		return problem;
	}

	public static ResponseEntity<ProblemDetail> response(AirlockException exception) {
		var response = ResponseEntity.status(exception.code().status()).contentType(MediaType.APPLICATION_PROBLEM_JSON);
		exception.headers().forEach((name, value) -> response.header(name, value));
		return response.body(of(exception));
	}

	public static ResponseEntity<ProblemDetail> response(ProblemDetail problem) {
		return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

}
