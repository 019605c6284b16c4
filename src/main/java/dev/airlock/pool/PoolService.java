package dev.airlock.pool;

import java.time.Clock;

import dev.airlock.core.ValidationFailed;
import dev.airlock.policy.PolicyService;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Reads and changes pools; each change and its audit record commit together. A pool's
 * image must be one its policy allows, now; the policy's later changes are the refill's
 * concern.
 */
@Service
public class PoolService {

	private final Pools pools;

	private final PolicyService policies;

	private final PoolSettings settings;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	private final PoolMembers members;

	private final MemberStarts starter;

	PoolService(Pools pools, PolicyService policies, PoolSettings settings, ApplicationEventPublisher events,
			Clock clock, PoolMembers members, MemberStarts starter) {
		this.members = members;
		this.starter = starter;
		this.pools = pools;
		this.policies = policies;
		this.settings = settings;
		this.events = events;
		this.clock = clock;
	}

	@Transactional(readOnly = true)
	public PoolView get(String name) {
		return pools.find(name).orElseThrow(() -> new PoolNotFound(name));
	}

	@Transactional(readOnly = true)
	public Page<PoolView> list(Pageable pageable) {
		return pools.page(pageable);
	}

	@Transactional
	public PoolView create(PoolDefinition definition, String actor) {
		var name = definition.name();
		if (name == null) {
			throw ValidationFailed.of("name", "is required");
		}
		admit(definition);
		if (!pools.insert(name, definition, actor, clock.instant())) {
			throw ValidationFailed.of("name", "a pool named '" + name + "' exists");
		}
		return changed(name, PoolChanged.Change.CREATED, actor);
	}

	/** Replaces the pool's policy, image and size. */
	@Transactional
	public PoolView update(String name, PoolDefinition definition, String actor) {
		if (definition.name() != null && !definition.name().equals(name)) {
			throw ValidationFailed.of("name", "must match the pool in the path ('" + name + "') or be left out");
		}
		admit(definition);
		if (!pools.replace(name, definition, clock.instant())) {
			throw new PoolNotFound(name);
		}
		return changed(name, PoolChanged.Change.UPDATED, actor);
	}

	/**
	 * Deletes the pool with its members' rows; once that commits, their containers are
	 * removed (in the background: the answer does not wait for the engine).
	 */
	@Transactional
	public void delete(String name, String actor) {
		var pool = get(name);
		var gone = members.ofPool(name);
		if (!pools.delete(name)) {
			throw new PoolNotFound(name);
		}
		events.publishEvent(new PoolChanged(pool, PoolChanged.Change.DELETED, actor));
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				Thread.ofVirtual().name("pool-delete-" + name).start(() -> gone.forEach(starter::remove));
			}
		});
	}

	/**
	 * The size within {@code airlock.pools.max-size}; the policy current
	 * ({@code POLICY_NOT_FOUND}) and allowing the image ({@code IMAGE_NOT_ALLOWED}).
	 */
	private void admit(PoolDefinition definition) {
		if (definition.size() > settings.maxSize()) {
			throw ValidationFailed.of("size", "must be at most " + settings.maxSize() + " (airlock.pools.max-size)");
		}
		policies.admitImage(policies.current(definition.policy()), definition.image());
	}

	private PoolView changed(String name, PoolChanged.Change change, String actor) {
		var pool = get(name);
		events.publishEvent(new PoolChanged(pool, change, actor));
		return pool;
	}

}
