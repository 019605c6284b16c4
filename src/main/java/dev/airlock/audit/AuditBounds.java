package dev.airlock.audit;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.airlock.core.Sha256;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How much free text one audit event keeps: the one place that decides the bound. A text
 * of at most {@link #WHOLE_TEXT} bytes is kept as it is; a longer one as a preview (its
 * start) with the SHA-256 and the length of the whole, so that nobody can inflate the
 * append-only log and a reader can still prove what the whole was.
 */
final class AuditBounds {

	/** The most an event's canonical data ever takes, in UTF-8 bytes. */
	static final int MAX_DATA = 4096;

	/** A text up to this many bytes of canonical JSON is kept whole. */
	static final int WHOLE_TEXT = 512;

	/** How much of a longer text is kept, in bytes of canonical JSON. */
	static final int TEXT_PREVIEW = 256;

	/** An argv up to this many bytes of canonical JSON is kept whole. */
	static final int WHOLE_COMMAND = 1024;

	/** How much of one argument a cut argv keeps, in bytes of canonical JSON. */
	static final int ARGUMENT_PREVIEW = 128;

	private AuditBounds() {
	}

	/**
	 * {@code field}: the text, or its preview with {@code fieldSha256} (of its UTF-8
	 * bytes) and {@code fieldLength} (their number).
	 */
	static ObjectNode text(ObjectNode data, String field, @Nullable String value) {
		// each character takes a byte at least: a long text is cut without measuring it
		if (value == null || value.length() <= WHOLE_TEXT && encodedLength(value) <= WHOLE_TEXT) {
			return data.put(field, value);
		}
		var bytes = value.getBytes(StandardCharsets.UTF_8);
		return data.put(field, preview(value, TEXT_PREVIEW))
			.put(field + "Sha256", Sha256.hex(Sha256.of(bytes)))
			.put(field + "Length", bytes.length);
	}

	/**
	 * {@code field}: the argv, or a preview of its first arguments with
	 * {@code fieldSha256} and {@code fieldLength} of every argument's UTF-8 bytes each
	 * followed by a NUL byte (the form of {@code /proc/PID/cmdline}), and
	 * {@code fieldArgs}, their number.
	 */
	static ObjectNode argv(ObjectNode data, String field, List<String> argv) {
		long whole = 2;
		for (int i = 0; i < argv.size() && whole <= WHOLE_COMMAND; i++) {
			// a byte a character at least: a long argv is found long without measuring
			// all of it
			whole += argv.get(i).length() <= WHOLE_COMMAND ? encodedLength(argv.get(i)) + 1 : WHOLE_COMMAND;
		}
		var array = data.putArray(field);
		if (whole <= WHOLE_COMMAND) {
			argv.forEach(array::add);
			return data;
		}
		var digest = Sha256.digest();
		long length = 0;
		long kept = 2;
		for (var argument : argv) {
			var bytes = argument.getBytes(StandardCharsets.UTF_8);
			digest.update(bytes);
			digest.update((byte) 0);
			length += bytes.length + 1;
			if (kept < WHOLE_COMMAND) {
				var shown = preview(argument, ARGUMENT_PREVIEW);
				kept += encodedLength(shown) + 1;
				if (kept <= WHOLE_COMMAND) {
					array.add(shown);
				}
			}
		}
		return data.put(field + "Sha256", Sha256.hex(digest.digest()))
			.put(field + "Length", length)
			.put(field + "Args", argv.size());
	}

	/**
	 * The backstop: data over {@link #MAX_DATA} (which the rules above never produce) is
	 * replaced by the SHA-256 and length of its canonical form.
	 */
	static JsonNode bounded(JsonNode data, String canonical) {
		var bytes = canonical.getBytes(StandardCharsets.UTF_8);
		if (bytes.length <= MAX_DATA) {
			return data;
		}
		return AuditChain.JSON.createObjectNode()
			.put("oversized", true)
			.put("dataSha256", Sha256.hex(Sha256.of(bytes)))
			.put("dataLength", bytes.length);
	}

	/** The longest start of {@code text}, in whole code points, within {@code limit}. */
	private static String preview(String text, int limit) {
		int used = 2;
		int end = 0;
		while (end < text.length()) {
			int codePoint = text.codePointAt(end);
			int size = encodedLength(codePoint);
			if (used + size > limit) {
				break;
			}
			used += size;
			end += Character.charCount(codePoint);
		}
		return text.substring(0, end);
	}

	/** Bytes of {@code text} as a canonical JSON string, quotes included. */
	private static long encodedLength(String text) {
		long length = 2;
		for (int i = 0; i < text.length(); i += Character.charCount(text.codePointAt(i))) {
			length += encodedLength(text.codePointAt(i));
		}
		return length;
	}

	private static int encodedLength(int codePoint) {
		if (codePoint == '"' || codePoint == '\\' || codePoint == '\b' || codePoint == '\f' || codePoint == '\n'
				|| codePoint == '\r' || codePoint == '\t') {
			return 2;
		}
		if (codePoint < 0x20) {
			return 6;
		}
		return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
	}

}
