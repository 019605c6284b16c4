package dev.airlock.enforcement;

import dev.airlock.runtime.EngineIdentity;
import dev.airlock.runtime.RuntimeUnavailable;
import dev.airlock.sandbox.SandboxEndings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Ends sandboxes past their lease or idle timeout. Every replica sweeps the sandboxes of
 * its own engine (only it can remove their containers); each claim skips rows another
 * holds, so each sandbox expires exactly once, and the database's clock decides, so a
 * clock jump here expires nothing.
 */
@Component
class Expiry {

	private static final Logger log = LoggerFactory.getLogger(Expiry.class);

	private final SandboxEndings endings;

	private final HaltService halts;

	private final EngineIdentity engine;

	private final EnforcementSettings settings;

	Expiry(SandboxEndings endings, HaltService halts, EngineIdentity engine, EnforcementSettings settings) {
		this.endings = endings;
		this.engine = engine;
		this.halts = halts;
		this.settings = settings;
	}

	void sweep() {
		try {
			var claimed = endings.claimExpired(engine.engineId(), settings.batchSize());
			if (!claimed.isEmpty()) {
				var ended = Endings.forEach(claimed, settings.watchdogConcurrency(),
						id -> endings.finishEnding(id, SandboxEndings.SYSTEM));
				log.info("Expired {} of {} claimed sandboxes", ended, claimed.size());
			}
			halts.enforce();
		}
		catch (RuntimeUnavailable e) {
			log.debug("Expiry sweep skipped: {}", e.getMessage());
		}
		catch (RuntimeException e) {
			log.warn("Expiry sweep failed: {}", e.getMessage());
		}
	}

}
