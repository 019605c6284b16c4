package dev.airlock.audit;

import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Verifies the whole chain periodically (one replica at a time) and publishes the result
 * as {@code airlock.audit.chain.valid} (1 or 0), which the "audit verification failing"
 * alert watches.
 */
@Component
class AuditVerification {

	private static final Logger log = LoggerFactory.getLogger(AuditVerification.class);

	private final AuditLog audit;

	private final AtomicLong valid = new AtomicLong(1);

	private final AtomicLong checked = new AtomicLong();

	AuditVerification(AuditLog audit, MeterRegistry meters) {
		this.audit = audit;
		Gauge.builder("airlock.audit.chain.valid", valid, AtomicLong::get)
			.description("1 when the last verification found the audit chain intact, 0 when it found a break")
			.register(meters);
		Gauge.builder("airlock.audit.chain.checked", checked, AtomicLong::get)
			.description("Events the last verification checked")
			.register(meters);
	}

	@Scheduled(fixedDelayString = "${airlock.audit.verify-interval:10m}",
			initialDelayString = "${airlock.audit.verify-initial-delay:30s}")
	@SchedulerLock(name = "audit-verification", lockAtMostFor = "PT30M")
	void verify() {
		try {
			var result = audit.verify();
			valid.set(result.valid() ? 1 : 0);
			checked.set(result.checked());
			if (!result.valid()) {
				log.error("AUDIT CHAIN BROKEN at seq {} ({} events checked)", result.firstBrokenSeq(),
						result.checked());
			}
		}
		catch (RuntimeException e) {
			log.warn("Audit verification could not run: {}", e.getMessage());
		}
	}

}
