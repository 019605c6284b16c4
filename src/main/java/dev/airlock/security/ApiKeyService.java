package dev.airlock.security;

import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import dev.airlock.core.Ids;
import dev.airlock.security.SecurityEvents.ApiKeyCreated;
import dev.airlock.security.SecurityEvents.ApiKeyRevoked;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Stored API keys: 256 random bits each, kept only as a SHA-256, looked up on every
 * request so that a revoked key stops working at once.
 */
@Service
public class ApiKeyService implements ApiKeyAuthenticator {

	private static final String PREFIX = "alk_";

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final Duration LAST_USED_PRECISION = Duration.ofMinutes(1);

	private final JdbcClient jdbc;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	ApiKeyService(JdbcClient jdbc, ApplicationEventPublisher events, Clock clock) {
		this.jdbc = jdbc;
		this.events = events;
		this.clock = clock;
	}

	@Transactional
	public ApiKeyView create(String tenant, Role role, String name, String actor) {
		var bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		var secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		var id = Ids.newId("ak");
		var now = clock.instant();
		jdbc.sql("""
				insert into api_keys (id, tenant, role, name, secret_hash, created_at, created_by)
				values (:id, :tenant, :role, :name, :hash, :now, :actor)""")
			.param("id", id)
			.param("tenant", tenant)
			.param("role", role.name())
			.param("name", name)
			.param("hash", SecretHash.of(secret))
			.param("now", Timestamp.from(now))
			.param("actor", actor)
			.update();
		events.publishEvent(new ApiKeyCreated(id, tenant, role, name, actor));
		return new ApiKeyView(id, secret, tenant, role, name, now, actor, null, null);
	}

	@Transactional(readOnly = true)
	public List<ApiKeyView> list(@Nullable String tenant, int page, int size) {
		return jdbc.sql("""
				select * from api_keys where (cast(:tenant as varchar) is null or tenant = :tenant)
				order by created_at desc, id limit :size offset :offset""")
			.param("tenant", tenant)
			.param("size", size)
			.param("offset", (long) page * size)
			.query((row, n) -> new ApiKeyView(row.getString("id"), null, row.getString("tenant"),
					Role.valueOf(row.getString("role")), row.getString("name"),
					row.getTimestamp("created_at").toInstant(), row.getString("created_by"),
					instant(row.getTimestamp("last_used_at")), instant(row.getTimestamp("revoked_at"))))
			.list();
	}

	@Transactional(readOnly = true)
	public long count(@Nullable String tenant) {
		return jdbc.sql("select count(*) from api_keys where (cast(:tenant as varchar) is null or tenant = :tenant)")
			.param("tenant", tenant)
			.query(Long.class)
			.single();
	}

	/** Revokes the key; revoking it again is fine. */
	@Transactional
	public void revoke(String id, String actor) {
		var tenant = jdbc.sql("select tenant from api_keys where id = :id")
			.param("id", id)
			.query(String.class)
			.optional()
			.orElseThrow(() -> new ApiKeyNotFound(id));
		var revoked = jdbc
			.sql("update api_keys set revoked_at = :now, revoked_by = :actor where id = :id and revoked_at is null")
			.param("now", Timestamp.from(clock.instant()))
			.param("actor", actor)
			.param("id", id)
			.update();
		if (revoked > 0) {
			events.publishEvent(new ApiKeyRevoked(id, tenant, actor));
		}
	}

	@Override
	public Optional<Caller> authenticate(String secret) {
		if (!secret.startsWith(PREFIX)) {
			return Optional.empty();
		}
		var found = jdbc
			.sql("select id, tenant, role, last_used_at from api_keys where secret_hash = :hash and revoked_at is null")
			.param("hash", SecretHash.of(secret))
			.query((row,
					n) -> new Found(new Caller(row.getString("id"), row.getString("tenant"),
							Role.valueOf(row.getString("role"))), instant(row.getTimestamp("last_used_at"))))
			.optional();
		found.ifPresent(this::touch);
		return found.map(Found::caller);
	}

	/** {@code lastUsedAt} to the minute: no write on every request. */
	private void touch(Found found) {
		var now = clock.instant();
		if (found.lastUsed() == null || found.lastUsed().isBefore(now.minus(LAST_USED_PRECISION))) {
			jdbc.sql("update api_keys set last_used_at = :now where id = :id")
				.param("now", Timestamp.from(now))
				.param("id", found.caller().keyId())
				.update();
		}
	}

	private record Found(Caller caller, java.time.@Nullable Instant lastUsed) {
	}

	private static java.time.@Nullable Instant instant(@Nullable Timestamp timestamp) {
		return timestamp == null ? null : timestamp.toInstant();
	}

}
