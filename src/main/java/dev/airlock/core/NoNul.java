package dev.airlock.core;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import org.jspecify.annotations.Nullable;

/**
 * Text without a NUL (which would cut an argv or env value short). A scan for one
 * character, not a regular expression: an exec's argv can be megabytes, and a regex
 * matched character by character was the largest cost of reading one.
 */
@Documented
@Constraint(validatedBy = NoNul.Check.class)
@Target({ ElementType.TYPE_USE, ElementType.FIELD, ElementType.PARAMETER })
@Retention(RetentionPolicy.RUNTIME)
public @interface NoNul {

	String message() default "must not contain NUL";

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

	/** The check. */
	class Check implements ConstraintValidator<NoNul, String> {

		@Override
		public boolean isValid(@Nullable String value, ConstraintValidatorContext context) {
			return value == null || value.indexOf('\0') < 0;
		}

	}

}
