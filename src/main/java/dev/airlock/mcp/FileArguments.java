package dev.airlock.mcp;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/** The arguments of {@code read_file} and {@code list_files}. */
record FileArguments(@NotBlank String sandboxId, @NotNull String path) {
}
