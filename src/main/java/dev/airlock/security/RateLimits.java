package dev.airlock.security;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import org.springframework.stereotype.Component;

/** A Bucket4j token bucket per API key. */
@Component
class RateLimits {

	private final RateLimitSettings settings;

	private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

	RateLimits(RateLimitSettings settings) {
		this.settings = settings;
	}

	/** Empty when the request may go on; else how many seconds to wait. */
	OptionalLong tryAcquire(String keyId) {
		var bucket = buckets.computeIfAbsent(keyId,
				id -> Bucket.builder()
					.addLimit(Bandwidth.builder()
						.capacity(settings.burst())
						.refillGreedy(settings.perSecond(), Duration.ofSeconds(1))
						.build())
					.build());
		var probe = bucket.tryConsumeAndReturnRemaining(1);
		if (probe.isConsumed()) {
			return OptionalLong.empty();
		}
		return OptionalLong.of(Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L));
	}

}
