package dev.airlock.core;

import java.util.List;
import java.util.function.Function;

import org.springframework.data.domain.Page;

/**
 * The contract's list envelope: {@code items}, {@code page}, {@code size},
 * {@code totalItems}.
 */
public record PageResponse<T>(List<T> items, int page, int size, long totalItems) {

	public static <S, T> PageResponse<T> of(Page<S> page, Function<S, T> mapper) {
		return new PageResponse<>(page.getContent().stream().map(mapper).toList(), page.getNumber(), page.getSize(),
				page.getTotalElements());
	}
}
