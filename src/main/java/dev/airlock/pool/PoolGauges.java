package dev.airlock.pool;

import java.util.ArrayList;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.springframework.stereotype.Component;

/**
 * {@code airlock_pool_ready{pool}}: each pool's ready members, on every engine, as the
 * database has them (so every replica shows the same); a deleted pool's series goes.
 */
@Component
class PoolGauges {

	private final Pools pools;

	private final MultiGauge ready;

	PoolGauges(Pools pools, MeterRegistry meters) {
		this.pools = pools;
		this.ready = MultiGauge.builder("airlock.pool.ready")
			.description("Started, unclaimed members of each warm pool")
			.register(meters);
	}

	void refresh() {
		var rows = new ArrayList<MultiGauge.Row<?>>();
		for (var pool : pools.all()) {
			rows.add(MultiGauge.Row.of(Tags.of("pool", pool.name()), pool.ready()));
		}
		ready.register(rows, true);
	}

}
