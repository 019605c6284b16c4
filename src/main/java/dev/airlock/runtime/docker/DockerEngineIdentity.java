package dev.airlock.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import dev.airlock.core.HostPaths;
import dev.airlock.runtime.EngineIdentity;
import dev.airlock.runtime.RuntimeError;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The Docker engine's {@code ID} from {@code /info}: made once per engine and kept in its
 * data directory, so it survives the engine's restarts. Asked once, at start (or when
 * first needed if the engine was away), then remembered; the same answer's data root
 * ({@code DockerRootDir}) is what {@link HostPaths} hides from clients from then on.
 */
@Component
class DockerEngineIdentity implements EngineIdentity {

	private static final Logger log = LoggerFactory.getLogger(DockerEngineIdentity.class);

	private final DockerClient docker;

	private volatile @Nullable String id;

	DockerEngineIdentity(DockerClient docker) {
		this.docker = docker;
	}

	@EventListener(ApplicationReadyEvent.class)
	void learn() {
		try {
			engineId();
		}
		catch (RuntimeException e) {
			log.warn("The Docker engine's id and data root are not known yet: {}", e.getMessage());
		}
	}

	@Override
	public String engineId() {
		var known = id;
		if (known != null) {
			return known;
		}
		var info = DockerErrors.call("ask the engine for its id", () -> docker.infoCmd().exec());
		HostPaths.engineRoot(info.getDockerRootDir());
		var answered = info.getId();
		if (answered == null || answered.isBlank()) {
			throw new RuntimeError("The Docker engine did not say its id.", null);
		}
		id = answered;
		return answered;
	}

}
