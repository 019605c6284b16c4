package dev.airlock.core;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The problems an API operation may answer beyond those every call may
 * ({@code UNAUTHENTICATED}, {@code FORBIDDEN}, {@code RATE_LIMITED},
 * {@code DATABASE_UNAVAILABLE}, and a bad request's or body's): the OpenAPI document
 * lists each under its status, so a generated client knows them.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ProblemCodes {

	ErrorCode[] value();

}
