package dev.airlock.enforcement;

import dev.airlock.exec.ExecEvents.ExecDenied;
import dev.airlock.sandbox.SandboxService;
import dev.airlock.sandbox.SandboxStatus;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * When the policy says so, a denied command also kills its sandbox, before the refusal is
 * answered.
 */
@Component
class DeniedCommands {

	private final SandboxService sandboxes;

	DeniedCommands(SandboxService sandboxes) {
		this.sandboxes = sandboxes;
	}

	@EventListener
	void on(ExecDenied denied) {
		if (denied.killSandbox()) {
			sandboxes.end(denied.sandboxId(), SandboxStatus.KILLED, KillReasons.DENIED_COMMAND,
					"ran a command matching '" + denied.pattern() + "'", denied.actor());
		}
	}

}
