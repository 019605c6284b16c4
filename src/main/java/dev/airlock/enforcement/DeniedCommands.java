package dev.airlock.enforcement;

import dev.airlock.exec.ExecEvents.ExecDenied;
import dev.airlock.sandbox.EndReason;
import dev.airlock.sandbox.SandboxEndings;
import dev.airlock.sandbox.SandboxStatus;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * When the policy says so, a denied command also kills its sandbox, before the refusal is
 * answered.
 */
@Component
class DeniedCommands {

	private final SandboxEndings endings;

	DeniedCommands(SandboxEndings endings) {
		this.endings = endings;
	}

	@EventListener
	void on(ExecDenied denied) {
		if (denied.killSandbox()) {
			endings.end(denied.sandboxId(), SandboxStatus.KILLED, EndReason.DENIED_COMMAND,
					"ran a command matching '" + denied.pattern() + "'", denied.actor());
		}
	}

}
