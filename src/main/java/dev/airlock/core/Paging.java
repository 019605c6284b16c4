package dev.airlock.core;

import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;

/**
 * Turns the contract's {@code page}/{@code size} query parameters into a page request, or
 * a validation problem.
 */
public final class Paging {

	public static final int MAX_SIZE = 500;

	public static final int DEFAULT_SIZE = 50;

	private Paging() {
	}

	public static PageRequest of(Integer page, Integer size, Sort sort) {
		int p = page == null ? 0 : page;
		int s = size == null ? DEFAULT_SIZE : size;
		new ValidationFailed.Collector().check(p >= 0, "page", "must be 0 or more")
			.check(s >= 1 && s <= MAX_SIZE, "size", "must be between 1 and " + MAX_SIZE)
			.throwIfAny();
		return PageRequest.of(p, s, sort);
	}

}
