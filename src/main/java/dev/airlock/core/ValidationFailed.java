package dev.airlock.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

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
