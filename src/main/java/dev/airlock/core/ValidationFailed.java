package dev.airlock.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import tools.jackson.core.JacksonException;

/** A request whose fields break the rules; lists every bad field. */
public class ValidationFailed extends AirlockException {

	private final List<FieldViolation> violations;

	public ValidationFailed(List<FieldViolation> violations) {
		super(ErrorCode.VALIDATION_FAILED, describe(violations));
		this.violations = List.copyOf(violations);
	}

	public static ValidationFailed of(String field, String message) {
		return new ValidationFailed(List.of(new FieldViolation(field, message)));
	}

	/**
	 * The field a JSON mapping failure is about, as a client names it: its path of
	 * properties and indices ({@code resources.cpus}, {@code command[2]}), or
	 * {@code fallback} when it names none.
	 */
	public static String fieldOf(JacksonException exception, String fallback) {
		List<JacksonException.Reference> path = exception.getPath();
		if (path == null || path.isEmpty()) {
			return fallback;
		}
		var out = new StringBuilder();
		for (var reference : path) {
			if (reference.getPropertyName() != null) {
				if (!out.isEmpty()) {
					out.append('.');
				}
				out.append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				out.append('[').append(reference.getIndex()).append(']');
			}
		}
		return out.isEmpty() ? fallback : out.toString();
	}

	public List<FieldViolation> violations() {
		return violations;
	}

	@Override
	public Map<String, Object> properties() {
		return Map.of("errors", violations);
	}

	static String describe(List<FieldViolation> violations) {
		return violations.stream()
			.map(v -> v.field() + ": " + v.message())
			.collect(Collectors.joining("; ", "Invalid request: ", ""));
	}

	/** Collects violations, then throws them all at once. */
	public static final class Collector {

		private final List<FieldViolation> violations = new ArrayList<>();

		public Collector check(boolean valid, String field, String message) {
			if (!valid) {
				violations.add(new FieldViolation(field, message));
			}
			return this;
		}

		public void add(String field, String message) {
			violations.add(new FieldViolation(field, message));
		}

		public boolean isEmpty() {
			return violations.isEmpty();
		}

		public void throwIfAny() {
			if (!violations.isEmpty()) {
				throw new ValidationFailed(violations);
			}
		}

	}

}
