package dev.airlock.audit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import tools.jackson.databind.JsonNode;

/**
 * {@code java -jar airlock.jar verify-audit FILE}: checks an NDJSON export offline (no
 * database, no Spring): every link's hash, the chain between links, and the closing
 * manifest. Exit code 0 when it holds, 1 at the first break (its seq printed), 2 when the
 * file cannot be read.
 */
public final class AuditFileVerifier {

	private AuditFileVerifier() {
	}

	public static int run(String file, PrintStream out) {
		var walk = new AuditLog.ChainWalk();
		long firstSeq = -1;
		long lastSeq = -1;
		boolean manifestSeen = false;
		long lineNumber = 0;
		try (BufferedReader lines = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
			String line;
			while ((line = lines.readLine()) != null) {
				lineNumber++;
				if (line.isBlank()) {
					continue;
				}
				var node = AuditChain.JSON.readTree(line);
				if (node.has("manifest")) {
					var manifest = node.get("manifest");
					manifestSeen = true;
					var counted = walk.result().checked();
					if (manifest.path("count").asLong() != counted
							|| (counted > 0 && (manifest.path("firstSeq").asLong() != firstSeq
									|| manifest.path("lastSeq").asLong() != lastSeq
									|| !manifest.path("headHash").asString("").equals(walk.headHash())))) {
						out.println("BROKEN: the manifest does not match the events (line " + lineNumber + ")");
						return 1;
					}
					continue;
				}
				if (manifestSeen) {
					out.println("BROKEN: events after the manifest (line " + lineNumber + ")");
					return 1;
				}
				var event = new AuditEvent(node.path("seq").asLong(), Instant.parse(node.path("at").asString()),
						text(node, "tenant"), node.path("actor").asString(), node.path("type").asString(),
						text(node, "sandboxId"), node.path("data"), node.path("prevHash").asString(),
						node.path("hash").asString());
				if (firstSeq < 0) {
					firstSeq = event.seq();
				}
				lastSeq = event.seq();
				walk.accept(event);
				var result = walk.result();
				if (!result.valid()) {
					out.println("BROKEN at seq " + result.firstBrokenSeq());
					return 1;
				}
			}
		}
		catch (IOException | RuntimeException e) {
			out.println("UNREADABLE: " + e.getMessage());
			return 2;
		}
		if (!manifestSeen) {
			out.println("BROKEN: no manifest (the export was cut short)");
			return 1;
		}
		out.println("OK: " + walk.result().checked() + " events, seq " + firstSeq + " to " + lastSeq + ", head "
				+ walk.headHash());
		return 0;
	}

	private static String text(JsonNode node, String field) {
		var value = node.get(field);
		return value == null || value.isNull() ? null : value.asString();
	}

}
