package dev.airlock.sandbox;

import dev.airlock.core.ErrorCode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EndReasonTest {

	@Test
	void aFailedCreateEndsWithTheProblemsOwnCode() {
		assertThat(EndReason.startFailure(ErrorCode.IMAGE_NOT_FOUND).name()).isEqualTo("IMAGE_NOT_FOUND");
		assertThat(EndReason.startFailure(ErrorCode.SANDBOX_START_FAILED).name()).isEqualTo("SANDBOX_START_FAILED");
		assertThat(EndReason.startFailure(ErrorCode.RUNTIME_UNAVAILABLE).name()).isEqualTo("RUNTIME_UNAVAILABLE");
		assertThat(EndReason.startFailure(ErrorCode.RUNTIME_ERROR).name()).isEqualTo("RUNTIME_ERROR");
	}

	@Test
	void anyOtherFailureIsARuntimeError() {
		assertThat(EndReason.startFailure(ErrorCode.VALIDATION_FAILED)).isEqualTo(EndReason.RUNTIME_ERROR);
	}

	@Test
	void theNamesClientsMatchOnStay() {
		assertThat(EndReason.values()).extracting(Enum::name)
			.contains("DELETED", "MAIN_PROCESS_EXITED", "TTL_EXPIRED", "IDLE_TIMEOUT", "MEMORY_LIMIT", "PIDS_LIMIT",
					"CPU_BUDGET", "DENIED_COMMAND", "HALTED", "AGENT_LOST", "CONTAINER_MISSING", "RUNTIME_RESTARTED",
					"CREATE_INTERRUPTED");
	}

}
