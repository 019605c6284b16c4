package dev.airlock.sandbox;

import java.util.Map;

import dev.airlock.core.AirlockException;

/**
 * A create that got as far as a sandbox row: the problem names the (now FAILED) sandbox
 * so it can be inspected.
 */
class SandboxCreateFailed extends AirlockException {

	private final String sandboxId;

	SandboxCreateFailed(String sandboxId, AirlockException cause) {
		super(cause.code(), cause.getMessage(), cause);
		this.sandboxId = sandboxId;
	}

	@Override
	public Map<String, Object> properties() {
		return Map.of("sandboxId", sandboxId);
	}

}
