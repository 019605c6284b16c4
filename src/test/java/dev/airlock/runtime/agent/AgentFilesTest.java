package dev.airlock.runtime.agent;

import dev.airlock.core.ErrorCode;
import dev.airlock.runtime.SandboxPathRefused;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AgentFilesTest {

	@Test
	void whatTheSandboxHoldsBusyIsTheClientsPathProblemNotAnEngineError() {
		var error = new Frame(Protocol.ERROR, 0, 7,
				new Payload.Writer().u16(17).str("delete: Directory not empty (os error 39)").bytes());

		assertThat(AgentFiles.failure("/workspace/d", error)).isInstanceOfSatisfying(SandboxPathRefused.class,
				refused -> assertThat(refused.code()).isEqualTo(ErrorCode.PATH_NOT_ALLOWED));
	}

}
