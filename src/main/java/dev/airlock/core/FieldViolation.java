package dev.airlock.core;

/** One bad field of a request: its JSON path and what is wrong with it. */
public record FieldViolation(String field, String message) {
}
