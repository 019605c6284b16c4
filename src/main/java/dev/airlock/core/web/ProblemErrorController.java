package dev.airlock.core.web;

import dev.airlock.core.ErrorCode;
import dev.airlock.core.Problems;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Replaces Boot's whitelabel/JSON error page: errors raised outside Spring MVC (the
 * servlet container, filters) also answer with a problem, never a stack trace.
 */
@Hidden
@RestController
class ProblemErrorController implements ErrorController {

	@RequestMapping("${server.error.path:/error}")
	ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
		var status = HttpStatus.resolve(statusOf(request));
		if (status == null || status.is2xxSuccessful()) {
			status = HttpStatus.INTERNAL_SERVER_ERROR;
		}
		var code = switch (status) {
			case NOT_FOUND -> ErrorCode.NOT_FOUND;
			case UNAUTHORIZED -> ErrorCode.UNAUTHENTICATED;
			case FORBIDDEN -> ErrorCode.FORBIDDEN;
			case METHOD_NOT_ALLOWED -> ErrorCode.METHOD_NOT_ALLOWED;
			case CONTENT_TOO_LARGE -> ErrorCode.PAYLOAD_TOO_LARGE;
			case UNSUPPORTED_MEDIA_TYPE -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
			default -> status.is5xxServerError() ? ErrorCode.INTERNAL_ERROR : ErrorCode.MALFORMED_REQUEST;
		};
		var detail = status.is5xxServerError() ? "An unexpected error occurred." : status.getReasonPhrase();
		return Problems.response(Problems.of(code, status, detail));
	}

	private static int statusOf(HttpServletRequest request) {
		var status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		return status instanceof Integer value ? value : 500;
	}

}
