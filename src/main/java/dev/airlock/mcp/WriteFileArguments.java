package dev.airlock.mcp;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.airlock.core.ValidationFailed;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;

/** The arguments of {@code write_file}: text, or base64 with {@code encoding: base64}. */
record WriteFileArguments(@NotBlank String sandboxId, @NotNull String path, @NotNull String content,
		@Nullable @Pattern(regexp = "utf-8|base64", message = "must be 'utf-8' or 'base64'") String encoding) {

	static final String BASE64 = "base64";

	/** The file's bytes. */
	byte[] bytes() {
		if (!BASE64.equals(encoding)) {
			return content.getBytes(StandardCharsets.UTF_8);
		}
		try {
			// line breaks and spaces are allowed; any other character outside base64 is
			// not
			return Base64.getDecoder().decode(content.replaceAll("\\s", ""));
		}
		catch (IllegalArgumentException e) {
			throw ValidationFailed.of("content", "must be base64 when encoding is 'base64'");
		}
	}

	/** Never prints the content. */
	@Override
	public String toString() {
		return "WriteFileArguments[sandboxId=" + sandboxId + ", path=" + path + ", contentChars=" + content.length()
				+ ", encoding=" + encoding + "]";
	}
}
