package dev.airlock.policy;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.airlock.core.ValidationFailed;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reads and changes policies; every change is a new version, and sandboxes keep the
 * version they started with.
 */
@Service
public class PolicyService {

	public static final String DEFAULT_POLICY = "default";

	private static final List<AdmissionRule> ADMISSION_RULES = List.of(AdmissionRule.TENANT_GRANTED,
			AdmissionRule.IMAGE_ALLOWED, AdmissionRule.CPUS_WITHIN_POLICY, AdmissionRule.MEMORY_WITHIN_POLICY);

	private final Policies policies;

	private final PolicySettings settings;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	private final Map<String, PolicyView> versions = new ConcurrentHashMap<>();

	PolicyService(Policies policies, PolicySettings settings, ApplicationEventPublisher events, Clock clock) {
		this.policies = policies;
		this.settings = settings;
		this.events = events;
		this.clock = clock;
	}

	@Transactional(readOnly = true)
	public PolicyView current(String name) {
		return policies.findCurrent(name).map(Policy::toView).orElseThrow(() -> new PolicyNotFound(name));
	}

	/**
	 * A pinned version, deleted or not: sandboxes keep theirs for life. A version's rules
	 * never change once written, so they are cached (exec and file calls read them on
	 * every request); its {@code deleted} flag may be stale here.
	 */
	public Optional<PolicyView> version(String name, int version) {
		var key = name + "\u0000" + version;
		var cached = versions.get(key);
		if (cached != null) {
			return Optional.of(cached);
		}
		var found = policies.findByNameAndVersion(name, version).map(Policy::toView);
		found.ifPresent(view -> versions.putIfAbsent(key, view));
		return found;
	}

	@Transactional(readOnly = true)
	public Page<PolicyView> list(Pageable pageable) {
		return policies.findAllCurrent(pageable).map(Policy::toView);
	}

	@Transactional
	public PolicyView create(PolicyDefinition definition, String actor) {
		var name = definition.name();
		if (name == null) {
			throw ValidationFailed.of("name", "is required");
		}
		var complete = validated(definition);
		policies.lockName(name);
		if (policies.findCurrent(name).isPresent()) {
			throw new PolicyExists(name);
		}
		var created = policies
			.save(new Policy(name, policies.latestVersion(name) + 1, complete, clock.instant(), actor));
		events.publishEvent(new PolicyChanged(name, created.version(), PolicyChanged.Change.CREATED, actor));
		return created.toView();
	}

	/** Replaces the policy: fields left out take the safe defaults, as on create. */
	@Transactional
	public PolicyView update(String name, PolicyDefinition definition, String actor) {
		if (definition.name() != null && !definition.name().equals(name)) {
			throw ValidationFailed.of("name", "must match the policy in the path ('" + name + "') or be left out");
		}
		var complete = validated(definition);
		policies.lockName(name);
		var current = policies.findCurrent(name).orElseThrow(() -> new PolicyNotFound(name));
		current.retire();
		policies.saveAndFlush(current);
		var next = policies.save(new Policy(name, current.version() + 1, complete, clock.instant(), actor));
		events.publishEvent(new PolicyChanged(name, next.version(), PolicyChanged.Change.UPDATED, actor));
		return next.toView();
	}

	@Transactional
	public void delete(String name, String actor) {
		if (DEFAULT_POLICY.equals(name)) {
			throw new PolicyProtected(name);
		}
		policies.lockName(name);
		var current = policies.findCurrent(name).orElseThrow(() -> new PolicyNotFound(name));
		current.markDeleted();
		events.publishEvent(new PolicyChanged(name, current.version(), PolicyChanged.Change.DELETED, actor));
	}

	/** Runs every admission rule; the first rejection is thrown. */
	public void admit(PolicyView policy, AdmissionRequest request) {
		for (var rule : ADMISSION_RULES) {
			rule.check(policy, request).ifPresent(rejection -> {
				throw rejection;
			});
		}
	}

	/**
	 * Refuses ({@code IMAGE_NOT_ALLOWED}) an image none of the policy's
	 * {@code allowedImages} matches.
	 */
	public void admitImage(PolicyView policy, String image) {
		AdmissionRule.IMAGE_ALLOWED.check(policy, new AdmissionRequest(image, 0, 0, 0, "")).ifPresent(rejection -> {
			throw rejection;
		});
	}

	private PolicyDefinition validated(PolicyDefinition definition) {
		var complete = definition.withDefaults();
		PolicyRules.validate(complete, settings.allowedRuntimes());
		return complete;
	}

}
