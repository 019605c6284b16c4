package dev.airlock.mcp;

import java.util.List;
import java.util.Map;

import dev.airlock.core.NoNul;
import dev.airlock.core.RequestPatterns;
import dev.airlock.exec.ExecCommand;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * The arguments of {@code run_command}: the rules of {@code POST
 * /v1/sandboxes/{id}/exec}.
 */
record RunCommandArguments(@NotBlank String sandboxId,
		@NotEmpty @Size(max = 256) List<@NotNull @Size(max = 8192) @NoNul String> command,
		@Nullable @Size(max = 512 * 1024) String stdin,
		@Nullable @Size(max = 64) Map<@Pattern(regexp = RequestPatterns.ENV_KEY,
				message = "must be a variable name") String, @NotNull @Size(max = 32768) @NoNul String> env,
		@Nullable @Size(max = 1024) String workdir, @Nullable @Positive @Max(86400) Integer timeoutSeconds) {

	ExecCommand toCommand() {
		return new ExecCommand(command, stdin, env == null ? Map.of() : env, workdir, timeoutSeconds);
	}

	/** Never prints env values or stdin. */
	@Override
	public String toString() {
		return "RunCommandArguments[sandboxId=" + sandboxId + ", " + toCommand() + "]";
	}
}
