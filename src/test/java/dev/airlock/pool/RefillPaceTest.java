package dev.airlock.pool;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RefillPaceTest {

	private final StepClock clock = new StepClock();

	private final PoolSettings settings = new PoolSettings(50, 100, 2, 4, Duration.ofMillis(500), Duration.ofMinutes(2),
			Duration.ofSeconds(10));

	private final RefillPace pace = new RefillPace(settings, clock);

	@Test
	void aPassStartsAtMostTheConcurrencyAndTheRateRefillsTheBucket() {
		assertThat(pace.available()).isEqualTo(2);
		pace.spend(2);
		assertThat(pace.available()).isZero();
		clock.advance(Duration.ofMillis(250)); // 4 per second: one start back
		assertThat(pace.available()).isEqualTo(1);
		clock.advance(Duration.ofMinutes(5)); // the bucket holds a second's worth, a pass
												// takes two
		assertThat(pace.available()).isEqualTo(2);
		pace.spend(2);
		clock.advance(Duration.ofMillis(500));
		assertThat(pace.available()).isEqualTo(2);
	}

	@Test
	void failuresInARowDoubleThePoolsWaitUpToTheCeilingAndASuccessEndsIt() {
		assertThat(pace.failed("py")).isEqualTo(Duration.ofSeconds(1));
		assertThat(pace.mayTry("py")).isFalse();
		assertThat(pace.mayTry("other")).isTrue();
		clock.advance(Duration.ofSeconds(1));
		assertThat(pace.mayTry("py")).isTrue();
		assertThat(pace.failed("py")).isEqualTo(Duration.ofSeconds(2));
		assertThat(pace.failed("py")).isEqualTo(Duration.ofSeconds(4));
		assertThat(pace.failed("py")).isEqualTo(Duration.ofSeconds(8));
		assertThat(pace.failed("py")).isEqualTo(Duration.ofSeconds(10));
		for (var i = 0; i < 100; i++) {
			assertThat(pace.failed("py")).isEqualTo(Duration.ofSeconds(10));
		}
		pace.succeeded("py");
		assertThat(pace.mayTry("py")).isTrue();
		assertThat(pace.failed("py")).isEqualTo(Duration.ofSeconds(1));
	}

	private static final class StepClock extends Clock {

		private Instant now = Instant.parse("2026-11-27T12:00:00Z");

		void advance(Duration step) {
			now = now.plus(step);
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return now;
		}

	}

}
