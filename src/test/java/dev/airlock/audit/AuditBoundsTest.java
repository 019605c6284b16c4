package dev.airlock.audit;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;

import dev.airlock.core.Sha256;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The rules that keep each audit event within a few KiB, without a database. */
class AuditBoundsTest {

	static ObjectNode data() {
		return AuditChain.JSON.createObjectNode();
	}

	static int size(ObjectNode data) {
		return CanonicalJson.of(data).getBytes(StandardCharsets.UTF_8).length;
	}

	@Test
	void aShortTextIsKeptAsItIs() {
		var data = AuditBounds.text(data(), "path", "/workspace/a.txt");

		assertThat(CanonicalJson.of(data)).isEqualTo("{\"path\":\"/workspace/a.txt\"}");
	}

	@Test
	void aLongTextIsAPreviewOfItsStartWithTheWholesHashAndLength() {
		var text = "é".repeat(10_000);

		var data = AuditBounds.text(data(), "detail", text);

		assertThat(text).startsWith(data.get("detail").asString());
		assertThat(data.get("detail").asString()).isNotEmpty();
		assertThat(data.get("detailLength").asInt()).isEqualTo(20_000);
		assertThat(data.get("detailSha256").asString())
			.isEqualTo(Sha256.hex(Sha256.of(text.getBytes(StandardCharsets.UTF_8))));
		assertThat(size(data)).isLessThan(AuditBounds.TEXT_PREVIEW + 150);
	}

	@Test
	void aPreviewNeverSplitsACharacterAndCountsEscapesAtTheirEncodedSize() {
		var emoji = "\uD83D\uDE00".repeat(1000);
		var controls = "\u0001".repeat(1000);

		var data = AuditBounds.text(AuditBounds.text(data(), "a", emoji), "b", controls);

		assertThat(data.get("a").asString().length() % 2).isZero();
		assertThat(emoji).startsWith(data.get("a").asString());
		assertThat(data.get("b").asString()).hasSizeLessThanOrEqualTo(AuditBounds.TEXT_PREVIEW / 6);
		assertThat(size(data)).isLessThan(2 * (AuditBounds.TEXT_PREVIEW + 150));
	}

	@Test
	void aLongArgvIsItsFirstArgumentsWithTheHashOfEachArgumentNulTerminated() {
		var argv = List.of("printf", "%s", "x".repeat(5000), "y");

		var data = AuditBounds.argv(data(), "command", argv);

		var expected = Sha256
			.hex(Sha256.of("printf\0%s\0".concat("x".repeat(5000)).concat("\0y\0").getBytes(StandardCharsets.UTF_8)));
		assertThat(data.get("commandSha256").asString()).isEqualTo(expected);
		assertThat(data.get("commandLength").asInt()).isEqualTo(7 + 3 + 5001 + 2);
		assertThat(data.get("commandArgs").asInt()).isEqualTo(4);
		assertThat(data.get("command")).hasSize(4);
		assertThat(data.get("command").get(2).asString()).startsWith("xxx")
			.hasSizeLessThan(AuditBounds.ARGUMENT_PREVIEW);
		assertThat(size(data)).isLessThanOrEqualTo(AuditBounds.WHOLE_COMMAND + 150);
	}

	@Test
	void anArgvOfManyArgumentsKeepsOnlyTheFirstOnes() {
		var argv = Collections.nCopies(256, "a".repeat(8192));

		var data = AuditBounds.argv(data(), "command", argv);

		assertThat(data.get("command").size()).isBetween(1, 10);
		assertThat(data.get("commandArgs").asInt()).isEqualTo(256);
		assertThat(size(data)).isLessThanOrEqualTo(AuditBounds.WHOLE_COMMAND + 150);
	}

	@Test
	void aShortArgvIsKeptWhole() {
		var data = AuditBounds.argv(data(), "command", List.of("sh", "-c", "echo hi"));

		assertThat(CanonicalJson.of(data)).isEqualTo("{\"command\":[\"sh\",\"-c\",\"echo hi\"]}");
	}

	@Test
	void dataOverTheBoundIsReplacedByItsHashAndLength() {
		var big = data().put("x", "y".repeat(AuditBounds.MAX_DATA));
		var canonical = CanonicalJson.of(big);

		var bounded = AuditBounds.bounded(big, canonical);

		assertThat(bounded.get("oversized").asBoolean()).isTrue();
		assertThat(bounded.get("dataLength").asInt()).isEqualTo(canonical.length());
		assertThat(bounded.get("dataSha256").asString())
			.isEqualTo(Sha256.hex(Sha256.of(canonical.getBytes(StandardCharsets.UTF_8))));
		var small = data().put("x", "y");
		assertThat(AuditBounds.bounded(small, CanonicalJson.of(small))).isSameAs(small);
	}

}
