package dev.airlock.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chain's rule, hash = sha256(prevHash + canonical JSON), and the walk that checks
 * it: what the service, the verify endpoint and the offline verifier all rely on.
 */
class AuditChainTest {

	static final Instant AT = Instant.parse("2025-01-02T03:04:05.123456Z");

	static JsonNode json(String text) {
		return AuditChain.JSON.readTree(text);
	}

	/** The event that follows {@code prevHash}, hashed as the service hashes it. */
	static AuditEvent event(long seq, String prevHash, @Nullable String tenant, String type, JsonNode data) {
		var hash = AuditChain.hash(prevHash, AuditChain.canonical(seq, AT, tenant, "key:ak_1", type, "sbx_1", data));
		return new AuditEvent(seq, AT, tenant, "key:ak_1", type, "sbx_1", data, prevHash, hash);
	}

	static List<AuditEvent> chain(int length) {
		var events = new ArrayList<AuditEvent>();
		var prevHash = AuditChain.GENESIS;
		for (int seq = 1; seq <= length; seq++) {
			var next = event(seq, prevHash, "acme", "TEST_EVENT", json("{\"n\": " + seq + "}"));
			events.add(next);
			prevHash = next.hash();
		}
		return events;
	}

	static AuditLog.Verification walk(List<AuditEvent> events) {
		var walk = new AuditLog.ChainWalk();
		events.forEach(walk::accept);
		return walk.result();
	}

	@Test
	void theChainStartsFromSixtyFourZeros() {
		assertThat(AuditChain.GENESIS).hasSize(64).matches("0+");
	}

	@Test
	void theHashedTextIsTheEventsFieldsInCanonicalJson() {
		var canonical = AuditChain.canonical(1, AT, "acme", "key:ak_1", "SANDBOX_CREATED", "sbx_1",
				json("{\"image\": \"busybox:1.35\", \"b\": 2}"));

		assertThat(canonical).isEqualTo("{\"actor\":\"key:ak_1\",\"at\":\"2025-01-02T03:04:05.123456Z\","
				+ "\"data\":{\"b\":2,\"image\":\"busybox:1.35\"},\"sandboxId\":\"sbx_1\",\"seq\":1,"
				+ "\"tenant\":\"acme\",\"type\":\"SANDBOX_CREATED\"}");
	}

	@Test
	void anEventWithoutTenantOrSandboxSaysSoWithNulls() {
		assertThat(AuditChain.canonical(9, AT, null, "system", "HALT_LIFTED", null, json("{}")))
			.isEqualTo("{\"actor\":\"system\",\"at\":\"2025-01-02T03:04:05.123456Z\",\"data\":{},"
					+ "\"sandboxId\":null,\"seq\":9,\"tenant\":null,\"type\":\"HALT_LIFTED\"}");
	}

	@Test
	void theHashIsSha256OfThePreviousHashThenTheCanonicalTextInUtf8() {
		// golden values (printf '%s%s' "$prev" "$canonical" | sha256sum): exports made
		// today must verify tomorrow
		assertThat(AuditChain.hash(AuditChain.GENESIS, "{}"))
			.isEqualTo("5508d2b710e64bc470079e1b211d9c58e21011e59d0559e422345dc19d659a75");
		assertThat(AuditChain.hash(AuditChain.GENESIS, "{\"note\":\"\u00e9\"}"))
			.isEqualTo("9ea7d0a3cd2917aa87cb085dbe6f4093aa7f0233814f65181ba42e1d0fccb5bd");
		var first = event(1, AuditChain.GENESIS, "acme", "SANDBOX_CREATED",
				json("{\"image\": \"busybox:1.35\", \"b\": 2}"));
		assertThat(first.hash()).isEqualTo("cc644f5165feb8f6de7e81ebde090024b5bc47c79585fe610e3380a1ed428a30");
	}

	@Test
	void theHashDependsOnThePreviousOne() {
		var canonical = AuditChain.canonical(2, AT, "acme", "key:ak_1", "TEST_EVENT", null, json("{}"));

		assertThat(AuditChain.hash("a".repeat(64), canonical)).isNotEqualTo(AuditChain.hash("b".repeat(64), canonical))
			.hasSize(64)
			.matches("[0-9a-f]{64}");
	}

	@Test
	void anEventHoldsWhateverTheOrderOfItsDataKeys() {
		var event = event(1, AuditChain.GENESIS, "acme", "EXEC_FINISHED",
				json("{\"exitCode\": 0, \"command\": [\"sh\"]}"));
		var reordered = new AuditEvent(event.seq(), event.at(), event.tenant(), event.actor(), event.type(),
				event.sandboxId(), json("{\"command\": [\"sh\"], \"exitCode\": 0}"), event.prevHash(), event.hash());

		assertThat(AuditChain.holds(event)).isTrue();
		assertThat(AuditChain.holds(reordered)).isTrue();
	}

	@Test
	void anEventNoLongerHoldsWhenAnyCoveredFieldChanges() {
		var e = event(5, "f".repeat(64), "acme", "FILE_WRITTEN", json("{\"path\": \"/workspace/a\"}"));

		var edits = List.of(
				new AuditEvent(6, e.at(), e.tenant(), e.actor(), e.type(), e.sandboxId(), e.data(), e.prevHash(),
						e.hash()),
				new AuditEvent(e.seq(), e.at().plusNanos(1000), e.tenant(), e.actor(), e.type(), e.sandboxId(),
						e.data(), e.prevHash(), e.hash()),
				new AuditEvent(e.seq(), e.at(), "other", e.actor(), e.type(), e.sandboxId(), e.data(), e.prevHash(),
						e.hash()),
				new AuditEvent(e.seq(), e.at(), null, e.actor(), e.type(), e.sandboxId(), e.data(), e.prevHash(),
						e.hash()),
				new AuditEvent(e.seq(), e.at(), e.tenant(), "key:forged", e.type(), e.sandboxId(), e.data(),
						e.prevHash(), e.hash()),
				new AuditEvent(e.seq(), e.at(), e.tenant(), e.actor(), "FILE_READ", e.sandboxId(), e.data(),
						e.prevHash(), e.hash()),
				new AuditEvent(e.seq(), e.at(), e.tenant(), e.actor(), e.type(), "sbx_2", e.data(), e.prevHash(),
						e.hash()),
				new AuditEvent(e.seq(), e.at(), e.tenant(), e.actor(), e.type(), e.sandboxId(),
						json("{\"path\": \"/workspace/b\"}"), e.prevHash(), e.hash()),
				new AuditEvent(e.seq(), e.at(), e.tenant(), e.actor(), e.type(), e.sandboxId(), e.data(),
						"e".repeat(64), e.hash()),
				new AuditEvent(e.seq(), e.at(), e.tenant(), e.actor(), e.type(), e.sandboxId(), e.data(), e.prevHash(),
						"0".repeat(64)));

		assertThat(AuditChain.holds(e)).isTrue();
		assertThat(edits).noneMatch(AuditChain::holds);
	}

	@Test
	void anIntactChainVerifies() {
		var verification = walk(chain(5));

		assertThat(verification.valid()).isTrue();
		assertThat(verification.checked()).isEqualTo(5);
		assertThat(verification.firstBrokenSeq()).isNull();
	}

	@Test
	void anEditedEventIsTheFirstBreak() {
		var events = chain(5);
		var edited = events.get(2);
		events.set(2, new AuditEvent(edited.seq(), edited.at(), edited.tenant(), "key:forged", edited.type(),
				edited.sandboxId(), edited.data(), edited.prevHash(), edited.hash()));

		var verification = walk(events);

		assertThat(verification.valid()).isFalse();
		assertThat(verification.firstBrokenSeq()).isEqualTo(3);
		assertThat(verification.checked()).isEqualTo(5);
	}

	@Test
	void anEventRehashedAfterAnEditBreaksTheLinkAfterIt() {
		var events = chain(5);
		var edited = events.get(2);
		events.set(2, event(edited.seq(), edited.prevHash(), "forged", edited.type(), edited.data()));

		assertThat(walk(events).firstBrokenSeq()).isEqualTo(4);
	}

	@Test
	void aMissingEventIsTheFirstBreak() {
		var events = chain(5);
		events.remove(3);

		assertThat(walk(events).firstBrokenSeq()).isEqualTo(4);
	}

	@Test
	void swappedEventsBreakAtTheFirstOfThem() {
		var events = chain(5);
		events.set(1, chain(5).get(2));
		events.set(2, chain(5).get(1));

		assertThat(walk(events).firstBrokenSeq()).isEqualTo(2);
	}

	@Test
	void theFirstEventMustFollowGenesis() {
		var forged = event(1, "f".repeat(64), "acme", "TEST_EVENT", json("{}"));

		assertThat(AuditChain.holds(forged)).isTrue();
		assertThat(walk(List.of(forged)).firstBrokenSeq()).isEqualTo(1);
	}

	@Test
	void aRangeThatStartsMidChainVerifies() {
		// an export with ?since= starts wherever the range does
		var tail = chain(6).subList(3, 6);

		assertThat(walk(tail).valid()).isTrue();
	}

}
