package dev.airlock.core;

import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;

/**
 * Turns the contract's {@code page}/{@code size} query parameters into a page request, or
 * a validation problem. A page may start at most {@value #MAX_OFFSET} items deep: deeper
 * pages cost the database a scan of every row before them, and the audit log has its
 * export for reading all of it.
 */
public final class Paging {

	public static final int MAX_SIZE = 500;

	public static final int DEFAULT_SIZE = 50;

	/** The deepest first item of a page: {@code page × size} at most. */
	public static final int MAX_OFFSET = 1_000_000;

	private Paging() {
	}

	public static PageRequest of(Integer page, Integer size, Sort sort) {
		int p = page == null ? 0 : page;
		int s = size == null ? DEFAULT_SIZE : size;
		var errors = new ValidationFailed.Collector().check(p >= 0, "page", "must be 0 or more")
			.check(s >= 1 && s <= MAX_SIZE, "size", "must be between 1 and " + MAX_SIZE);
		if (errors.isEmpty()) {
			errors.check((long) p * s <= MAX_OFFSET, "page", "must be at most " + MAX_OFFSET / s + " at size " + s
					+ " (a page starts at most " + MAX_OFFSET + " items deep; narrow the filters instead)");
		}
		errors.throwIfAny();
		return PageRequest.of(p, s, sort);
	}

}
