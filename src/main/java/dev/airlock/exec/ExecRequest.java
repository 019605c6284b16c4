package dev.airlock.exec;

import java.util.List;
import java.util.Map;

import dev.airlock.core.NoNul;
import dev.airlock.core.RequestPatterns;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /v1/sandboxes/{id}/exec}, and the arguments of the MCP tool
 * {@code run_command} besides its {@code sandboxId}.
 */
public record ExecRequest(@NotEmpty @Size(max = 256) List<@NotNull @Size(max = 8192) @NoNul String> command,
		@Nullable @Size(max = 512 * 1024) String stdin,
		@Nullable @Size(max = 64) Map<@Pattern(regexp = RequestPatterns.ENV_KEY,
				message = "must be a variable name") String, @NotNull @Size(max = 32768) @NoNul String> env,
		@Nullable @Size(max = 1024) String workdir, @Nullable @Positive @Max(86400) Integer timeoutSeconds) {

	/** The command, with absent env empty. */
	public ExecCommand toCommand() {
		return new ExecCommand(command, stdin, env == null ? Map.of() : env, workdir, timeoutSeconds);
	}

	/** Never prints env values or stdin. */
	@Override
	public String toString() {
		return toCommand().toString();
	}
}
