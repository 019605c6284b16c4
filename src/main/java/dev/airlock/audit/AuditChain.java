package dev.airlock.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import dev.airlock.core.Sha256;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The chain's rule, shared by the service and the offline verifier: hash =
 * sha256(prevHash + canonical JSON).
 */
public final class AuditChain {

	public static final String GENESIS = "0".repeat(64);
	static final JsonMapper JSON = JsonMapper.builder().build();

	private AuditChain() {
	}

	/** The event's fields that the hash covers, in canonical JSON. */
	public static String canonical(long seq, Instant at, @Nullable String tenant, String actor, String type,
			@Nullable String sandboxId, JsonNode data) {
		ObjectNode node = JSON.createObjectNode();
		node.put("seq", seq);
		node.put("at", at.toString());
		node.put("tenant", tenant);
		node.put("actor", actor);
		node.put("type", type);
		node.put("sandboxId", sandboxId);
		node.set("data", data);
		return CanonicalJson.of(node);
	}

	public static String hash(String prevHash, String canonical) {
		var digest = Sha256.digest();
		digest.update(prevHash.getBytes(StandardCharsets.US_ASCII));
		digest.update(canonical.getBytes(StandardCharsets.UTF_8));
		return Sha256.hex(digest.digest());
	}

	/** Whether the event's hash is what its content and its prevHash say. */
	public static boolean holds(AuditEvent event) {
		return event.hash()
			.equals(hash(event.prevHash(), canonical(event.seq(), event.at(), event.tenant(), event.actor(),
					event.type(), event.sandboxId(), event.data())));
	}

}
