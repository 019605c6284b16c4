package dev.airlock.core;

import java.util.Locale;

import org.springframework.http.HttpStatus;

/** The stable, machine-readable {@code code} of every problem Airlock answers with. */
public enum ErrorCode {

	VALIDATION_FAILED(HttpStatus.BAD_REQUEST, "Validation failed"),
	MALFORMED_REQUEST(HttpStatus.BAD_REQUEST, "Malformed request"),
	PATH_NOT_ALLOWED(HttpStatus.BAD_REQUEST, "Path not allowed"), NOT_A_FILE(HttpStatus.BAD_REQUEST, "Not a file"),
	NOT_A_DIRECTORY(HttpStatus.BAD_REQUEST, "Not a directory"),
	UNAUTHENTICATED(HttpStatus.UNAUTHORIZED, "Authentication required"), FORBIDDEN(HttpStatus.FORBIDDEN, "Forbidden"),
	IMAGE_NOT_ALLOWED(HttpStatus.FORBIDDEN, "Image not allowed"),
	POLICY_VIOLATION(HttpStatus.FORBIDDEN, "Policy violation"),
	POLICY_NOT_ALLOWED(HttpStatus.FORBIDDEN, "Policy not allowed"), NOT_FOUND(HttpStatus.NOT_FOUND, "Not found"),
	SANDBOX_NOT_FOUND(HttpStatus.NOT_FOUND, "Sandbox not found"),
	POLICY_NOT_FOUND(HttpStatus.NOT_FOUND, "Policy not found"), FILE_NOT_FOUND(HttpStatus.NOT_FOUND, "File not found"),
	METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed"),
	NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE, "Not acceptable"), POLICY_EXISTS(HttpStatus.CONFLICT, "Policy exists"),
	POLICY_PROTECTED(HttpStatus.CONFLICT, "Policy protected"),
	SANDBOX_NOT_RUNNING(HttpStatus.CONFLICT, "Sandbox not running"),
	PAYLOAD_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "Payload too large"),
	UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type"),
	IMAGE_NOT_FOUND(HttpStatus.UNPROCESSABLE_CONTENT, "Image not found"),
	SANDBOX_START_FAILED(HttpStatus.UNPROCESSABLE_CONTENT, "Sandbox start failed"),
	QUOTA_EXCEEDED(HttpStatus.TOO_MANY_REQUESTS, "Quota exceeded"),
	RATE_LIMITED(HttpStatus.TOO_MANY_REQUESTS, "Rate limited"),
	API_KEY_NOT_FOUND(HttpStatus.NOT_FOUND, "API key not found"), HALTED(HttpStatus.LOCKED, "Halted"),
	INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error"),
	STORAGE_FULL(HttpStatus.INSUFFICIENT_STORAGE, "Storage full"),
	RUNTIME_ERROR(HttpStatus.BAD_GATEWAY, "Container runtime error"),
	RUNTIME_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "Container runtime unavailable"),
	DATABASE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "Database unavailable");

	private final HttpStatus status;

	private final String title;

	ErrorCode(HttpStatus status, String title) {
		this.status = status;
		this.title = title;
	}

	public HttpStatus status() {
		return status;
	}

	public String title() {
		return title;
	}

	/** The problem {@code type} URI: stable, one per code. */
	public String typeUri() {
		return "https://airlock.dev/problems/" + name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
