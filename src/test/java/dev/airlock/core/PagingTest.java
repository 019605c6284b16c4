package dev.airlock.core;

import org.junit.jupiter.api.Test;
import org.springframework.data.domain.Sort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PagingTest {

	@Test
	void aPageStartingBeyondTheDeepestOffsetIsAValidationProblemNamingPage() {
		for (int[] pageAndSize : new int[][] { { 99_999_999, 50 }, { Integer.MAX_VALUE, 500 }, { 2001, 500 },
				{ Paging.MAX_OFFSET + 1, 1 } }) {
			assertThatThrownBy(() -> Paging.of(pageAndSize[0], pageAndSize[1], Sort.unsorted())).isInstanceOfSatisfying(
					ValidationFailed.class,
					e -> assertThat(e.violations()).extracting(FieldViolation::field).containsExactly("page"));
		}
		assertThat(Paging.of(2000, 500, Sort.unsorted()).getOffset()).isEqualTo(Paging.MAX_OFFSET);
		assertThat(Paging.of(Paging.MAX_OFFSET, 1, Sort.unsorted()).getOffset()).isEqualTo(Paging.MAX_OFFSET);
		// a bad size is named alone, whatever the page
		assertThatThrownBy(() -> Paging.of(99_999_999, 0, Sort.unsorted())).isInstanceOfSatisfying(
				ValidationFailed.class,
				e -> assertThat(e.violations()).extracting(FieldViolation::field).containsExactly("size"));
	}

}
