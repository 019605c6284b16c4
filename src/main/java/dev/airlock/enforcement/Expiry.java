package dev.airlock.enforcement;

import dev.airlock.sandbox.SandboxEndings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Ends sandboxes past their lease or idle timeout. Every replica sweeps; each claim skips
 * rows another holds, so each sandbox expires exactly once, and the database's clock
 * decides, so a clock jump here expires nothing.
 */
@Component
class Expiry {

	private static final Logger log = LoggerFactory.getLogger(Expiry.class);

	private final SandboxEndings endings;

	private final HaltService halts;

	private final EnforcementSettings settings;

	Expiry(SandboxEndings endings, HaltService halts, EnforcementSettings settings) {
		this.endings = endings;
		this.halts = halts;
		this.settings = settings;
	}

	void sweep() {
		try {
			var claimed = endings.claimExpired(settings.batchSize());
			if (!claimed.isEmpty()) {
				var ended = Endings.forEach(claimed, settings.watchdogConcurrency(),
						id -> endings.finishEnding(id, SandboxEndings.SYSTEM));
				log.info("Expired {} of {} claimed sandboxes", ended, claimed.size());
			}
			halts.enforce();
		}
		catch (RuntimeException e) {
			log.warn("Expiry sweep failed: {}", e.getMessage());
		}
	}

}
