package dev.airlock.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import dev.airlock.runtime.EngineIdentity;
import dev.airlock.runtime.RuntimeError;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The Docker engine's {@code ID} from {@code /info}: made once per engine and kept in its
 * data directory, so it survives the engine's restarts. Asked once, then remembered.
 */
@Component
class DockerEngineIdentity implements EngineIdentity {

	private final DockerClient docker;

	private volatile @Nullable String id;

	DockerEngineIdentity(DockerClient docker) {
		this.docker = docker;
	}

	@Override
	public String engineId() {
		var known = id;
		if (known != null) {
			return known;
		}
		var answered = DockerErrors.call("ask the engine for its id", () -> docker.infoCmd().exec().getId());
		if (answered == null || answered.isBlank()) {
			throw new RuntimeError("The Docker engine did not say its id.", null);
		}
		id = answered;
		return answered;
	}

}
