package dev.airlock.mcp;

import jakarta.validation.constraints.NotBlank;

/** The arguments of a tool that names only a sandbox ({@code delete_sandbox}). */
record SandboxArguments(@NotBlank String sandboxId) {
}
