package dev.airlock.mcp;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import dev.airlock.files.FileService;
import dev.airlock.runtime.FileEntry;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.SyncToolSpecification;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * {@code write_file}, {@code read_file}, {@code list_files}: the file endpoints of the
 * REST API, with the content inside the JSON (text, or base64). A read is bounded: a file
 * larger than {@code airlock.mcp.max-read-size} is refused before any of it is read, and
 * one that grows past it while it is read is cut off there.
 */
@Component
class FileTools implements ToolSet {

	private final FileService files;

	private final ToolCalls calls;

	private final int maxReadSize;

	FileTools(FileService files, ToolCalls calls, McpSettings settings) {
		this.files = files;
		this.calls = calls;
		this.maxReadSize = Math.toIntExact(settings.maxReadSize().toBytes());
	}

	/** A file as {@code read_file} answers it. */
	record FileContent(String path, long size, @Nullable String sha256, String encoding, String content) {
	}

	/** A folder as {@code list_files} answers it. */
	record Folder(String path, List<FileEntry> entries) {
	}

	@Override
	public List<SyncToolSpecification> tools() {
		return List.of(calls.define("write_file", WriteFileArguments.class, (arguments, caller) -> {
			var bytes = arguments.bytes();
			return files.write(arguments.sandboxId(), arguments.path(), bytes.length, new ByteArrayInputStream(bytes),
					caller);
		}), calls.define("read_file", FileArguments.class, (arguments, caller) -> {
			var buffer = new CappedBuffer(arguments.path(), maxReadSize);
			var stored = files.read(arguments.sandboxId(), arguments.path(), caller, size -> {
				if (size > maxReadSize) {
					throw new FileTooLargeToRead(arguments.path(), maxReadSize);
				}
				return buffer;
			});
			var bytes = buffer.toByteArray();
			var text = utf8(bytes);
			return text != null ? new FileContent(stored.path(), stored.size(), stored.sha256(), "utf-8", text)
					: new FileContent(stored.path(), stored.size(), stored.sha256(), WriteFileArguments.BASE64,
							Base64.getEncoder().encodeToString(bytes));
		}), calls.define("list_files", FileArguments.class, (arguments, caller) -> new Folder(arguments.path(),
				files.list(arguments.sandboxId(), arguments.path(), caller))));
	}

	/** The bytes as text, or {@code null} when they are not UTF-8. */
	private static @Nullable String utf8(byte[] bytes) {
		try {
			return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
		}
		catch (CharacterCodingException e) {
			return null;
		}
	}

	/** Holds at most {@code limit} bytes; one more is a refusal, not a bigger buffer. */
	private static final class CappedBuffer extends OutputStream {

		private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

		private final String path;

		private final int limit;

		CappedBuffer(String path, int limit) {
			this.path = path;
			this.limit = limit;
		}

		@Override
		public void write(int b) {
			write(new byte[] { (byte) b }, 0, 1);
		}

		@Override
		public void write(byte[] buffer, int offset, int length) {
			if (bytes.size() + (long) length > limit) {
				throw new FileTooLargeToRead(path, limit);
			}
			bytes.write(buffer, offset, length);
		}

		byte[] toByteArray() {
			return bytes.toByteArray();
		}

	}

}
