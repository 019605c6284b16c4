package dev.airlock.runtime.agent;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.airlock.core.ErrorCode;
import dev.airlock.runtime.FileContent;
import dev.airlock.runtime.FileEntry;
import dev.airlock.runtime.RuntimeError;
import dev.airlock.runtime.SandboxBusy;
import dev.airlock.runtime.SandboxPathNotFound;
import dev.airlock.runtime.SandboxPathRefused;

/**
 * Files through the agent: it writes and reads them as the sandbox user inside the
 * sandbox, so the kernel enforces the read-only root, permissions and sizes, and the
 * bytes are charged to the sandbox's memory.
 */
public final class AgentFiles {

	/** Bytes of a download the agent may send ahead of the client. */
	static final int WINDOW = 1024 * 1024;

	/** The most entries a listing returns. */
	public static final int MAX_ENTRIES = 10_000;

	/** How long the agent may stay silent in the middle of a transfer. */
	private static final Duration PATIENCE = Duration.ofSeconds(30);

	private AgentFiles() {
	}

	/**
	 * Writes {@code size} bytes; the file appears whole, under its name, or not at all.
	 */
	public static void write(AgentSession session, String root, String path, InputStream content, long size) {
		try (var call = session.call()) {
			call.send(Protocol.WRITE, 0, new Payload.Writer().str(root).str(path).u64(size).u32(0644).bytes());
			var buffer = new byte[Protocol.MAX_PAYLOAD];
			long left = size;
			try {
				do {
					int n = left == 0 ? 0 : content.readNBytes(buffer, 0, (int) Math.min(buffer.length, left));
					if (n <= 0 && left > 0) {
						throw new IOException("the upload ended " + left + " bytes early");
					}
					left -= n;
					call.sendData(Protocol.DATA, buffer, 0, n, left == 0, PATIENCE);
				}
				while (left > 0);
			}
			catch (AgentCall.EarlyAnswer answered) {
				// the agent refused part-way: its answer says why
			}
			var answer = call.take(PATIENCE);
			call.finished();
			if (answer.type() == Protocol.ERROR) {
				throw failure(path, answer);
			}
			if (answer.type() != Protocol.OK) {
				throw AgentExec.violation(session, "an unexpected " + answer + " answering a write");
			}
		}
		catch (IOException e) {
			throw new RuntimeError("The upload to the sandbox's agent failed: " + e.getMessage(), e);
		}
		catch (AgentFailed e) {
			throw new RuntimeError("The upload failed: " + e.getMessage(), e);
		}
		catch (AgentViolation e) {
			throw AgentExec.violation(session, e.getMessage());
		}
	}

	/** Opens a regular file; symlinks are resolved inside the sandbox. */
	public static FileContent read(AgentSession session, String path) {
		var call = session.call();
		try {
			call.granted(WINDOW);
			call.send(Protocol.READ, 0, new Payload.Writer().str(path).u64(Long.MAX_VALUE).u32(WINDOW).bytes());
			var answer = call.take(PATIENCE);
			if (answer.type() == Protocol.ERROR) {
				call.finished();
				throw failure(path, answer);
			}
			if (answer.type() != Protocol.FILE_INFO) {
				throw AgentExec.violation(session, "an unexpected " + answer + " answering a read");
			}
			var info = answer.reader();
			long size = info.u64();
			return new AgentDownload(session, call, size, PATIENCE);
		}
		catch (IOException | AgentFailed e) {
			call.close();
			throw new RuntimeError("The download from the sandbox's agent failed: " + e.getMessage(), e);
		}
		catch (AgentViolation e) {
			call.close();
			throw AgentExec.violation(session, e.getMessage());
		}
		catch (RuntimeException e) {
			call.close();
			throw e;
		}
	}

	public static List<FileEntry> list(AgentSession session, String path) {
		try (var call = session.call()) {
			call.send(Protocol.LIST, 0, new Payload.Writer().str(path).u32(MAX_ENTRIES).bytes());
			var entries = new ArrayList<FileEntry>();
			var prefix = path.endsWith("/") ? path : path + "/";
			while (true) {
				var frame = call.take(PATIENCE);
				if (frame.type() == Protocol.ERROR) {
					call.finished();
					throw failure(path, frame);
				}
				if (frame.type() != Protocol.ENTRIES) {
					throw AgentExec.violation(session, "an unexpected " + frame + " answering a listing");
				}
				var reader = frame.reader();
				long count = reader.u32();
				for (long i = 0; i < count; i++) {
					var name = reader.str();
					var kind = reader.u8();
					var size = reader.u64();
					var modified = reader.i64();
					if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
						throw AgentExec.violation(session, "a listing entry named '" + name + "'");
					}
					entries.add(new FileEntry(name, prefix + name, type(kind), size, Instant.ofEpochMilli(modified)));
				}
				reader.done();
				if (entries.size() > MAX_ENTRIES) {
					throw AgentExec.violation(session, "a listing of more entries than asked for");
				}
				if (frame.end()) {
					call.finished();
					return entries;
				}
			}
		}
		catch (IOException | AgentFailed e) {
			throw new RuntimeError("Listing through the sandbox's agent failed: " + e.getMessage(), e);
		}
		catch (AgentViolation e) {
			throw AgentExec.violation(session, e.getMessage());
		}
	}

	public static void delete(AgentSession session, String root, String path) {
		try (var call = session.call()) {
			call.send(Protocol.DELETE, 0, new Payload.Writer().str(root).str(path).bytes());
			var answer = call.take(PATIENCE);
			call.finished();
			if (answer.type() == Protocol.ERROR) {
				throw failure(path, answer);
			}
			if (answer.type() != Protocol.OK) {
				throw AgentExec.violation(session, "an unexpected " + answer + " answering a delete");
			}
		}
		catch (IOException | AgentFailed e) {
			throw new RuntimeError("Deleting through the sandbox's agent failed: " + e.getMessage(), e);
		}
		catch (AgentViolation e) {
			throw AgentExec.violation(session, e.getMessage());
		}
	}

	private static FileEntry.Type type(int kind) {
		return switch (kind) {
			case 0 -> FileEntry.Type.FILE;
			case 1 -> FileEntry.Type.DIRECTORY;
			case 2 -> FileEntry.Type.SYMLINK;
			default -> FileEntry.Type.OTHER;
		};
	}

	static RuntimeException failure(String path, Frame frame) {
		var error = AgentError.of(frame);
		var code = error.code();
		var message = error.message();
		return switch (code) {
			case NOT_FOUND -> new SandboxPathNotFound(path);
			case NOT_A_DIRECTORY ->
				new SandboxPathRefused(ErrorCode.NOT_A_DIRECTORY, "'" + path + "' is not a folder.");
			case NOT_A_FILE -> new SandboxPathRefused(ErrorCode.NOT_A_FILE, "'" + path + "' is not a regular file.");
			case PERMISSION_DENIED -> new SandboxPathRefused(ErrorCode.PATH_NOT_ALLOWED,
					"The sandbox user may not do that at '" + path + "'.");
			case READ_ONLY ->
				new SandboxPathRefused(ErrorCode.PATH_NOT_ALLOWED, "'" + path + "' is on a read-only filesystem.");
			case PATH_REFUSED -> new SandboxPathRefused(ErrorCode.PATH_NOT_ALLOWED,
					"'" + path + "' leads outside what may be used: " + message);
			case NO_SPACE ->
				new SandboxPathRefused(ErrorCode.STORAGE_FULL, "No room for '" + path + "': the folder is full.");
			case NO_MEMORY -> new SandboxPathRefused(ErrorCode.STORAGE_FULL, "No room for '" + path
					+ "': the sandbox's memory limit cannot hold it (writable folders live in memory).");
			case IN_USE -> new SandboxPathRefused(ErrorCode.PATH_NOT_ALLOWED,
					"'" + path + "' is in use, or changed while it was being removed: " + message);
			case TOO_MANY -> new SandboxPathRefused(ErrorCode.VALIDATION_FAILED,
					"'" + path + "' holds more than " + MAX_ENTRIES + " entries.");
			case LIMIT -> new SandboxBusy("The sandbox's agent is busy: " + message);
			default -> new RuntimeError("The sandbox's agent failed (" + code + "): " + message, null);
		};
	}

}
