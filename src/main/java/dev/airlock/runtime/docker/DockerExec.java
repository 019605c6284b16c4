package dev.airlock.runtime.docker;

import java.util.List;
import java.util.Map;

import dev.airlock.runtime.ContainerExec;
import dev.airlock.runtime.ExecOutcome;
import dev.airlock.runtime.ExecOutput;
import dev.airlock.runtime.ExecSpec;
import dev.airlock.runtime.RuntimeError;
import dev.airlock.runtime.agent.AgentDefaults;
import dev.airlock.runtime.agent.AgentExec;
import dev.airlock.runtime.agent.AgentFailed;
import dev.airlock.runtime.agent.AgentResolve;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Runs commands through each sandbox's agent: each in its own session, every process it
 * starts killed when it ends, on timeout or on cancel.
 */
@Component
class DockerExec implements ContainerExec {

	private final AgentChannels channels;

	DockerExec(AgentChannels channels) {
		this.channels = channels;
	}

	@Override
	public ExecOutcome exec(String sandboxId, ExecSpec spec, ExecOutput output) {
		return AgentExec.run(channels.session(sandboxId), sandboxId, spec, output);
	}

	@Override
	public List<String> program(String sandboxId, ExecSpec spec) {
		return AgentResolve.program(channels.session(sandboxId), spec);
	}

	@Override
	public void setDefaults(String sandboxId, Map<String, String> env, @Nullable String workdir) {
		try {
			AgentDefaults.set(channels.session(sandboxId), env, workdir);
		}
		catch (AgentFailed e) {
			throw new RuntimeError("Setting the sandbox's exec defaults failed: " + e.getMessage(), e);
		}
	}

}
