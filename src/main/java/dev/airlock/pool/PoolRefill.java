package dev.airlock.pool;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import dev.airlock.core.Ids;
import dev.airlock.enforcement.HaltService;
import dev.airlock.policy.PolicyNotFound;
import dev.airlock.policy.PolicyService;
import dev.airlock.policy.PolicyView;
import dev.airlock.pool.PoolMembers.Member;
import dev.airlock.runtime.ContainerLabels;
import dev.airlock.runtime.ContainerLifecycle;
import dev.airlock.runtime.ContainerState;
import dev.airlock.runtime.EngineIdentity;
import dev.airlock.sandbox.SandboxQueries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * One refill pass on this replica's engine (one replica per engine at a time): drops the
 * members that may no longer be claimed — of a deleted or changed pool, of an older
 * policy version, beyond the pool's size, whose container is gone, stuck starting, or all
 * of them under a global halt — and removes pool containers nobody owns; then starts
 * members up to each pool's size, within the cap on all members, the concurrency, the
 * rate, and each failing pool's back-off. A member's row is deleted before its container
 * is removed: a member a create claimed meanwhile is a sandbox, and stays.
 */
@Component
class PoolRefill {

	private static final Logger log = LoggerFactory.getLogger(PoolRefill.class);

	private final Pools pools;

	private final PoolMembers members;

	private final PolicyService policies;

	private final HaltService halts;

	private final ContainerLifecycle containers;

	private final EngineIdentity engine;

	private final SandboxQueries sandboxes;

	private final PoolSettings settings;

	private final Clock clock;

	private final RefillPace pace;

	private final MemberStarts starter;

	PoolRefill(Pools pools, PoolMembers members, PolicyService policies, HaltService halts,
			ContainerLifecycle containers, EngineIdentity engine, SandboxQueries sandboxes, PoolSettings settings,
			RefillPace pace, MemberStarts starter, Clock clock) {
		this.pools = pools;
		this.members = members;
		this.policies = policies;
		this.halts = halts;
		this.containers = containers;
		this.engine = engine;
		this.sandboxes = sandboxes;
		this.settings = settings;
		this.clock = clock;
		this.pace = pace;
		this.starter = starter;
	}

	/** What one pass did. */
	record Pass(int dropped, int leftoversRemoved, int started, int failed) {

		boolean isQuiet() {
			return dropped + leftoversRemoved + started + failed == 0;
		}

	}

	Pass run() {
		var engineId = engine.engineId();
		// the rows first: a container listed after them that has no row is a leftover
		// only if it still has none when looked at again
		var rows = members.onEngine(engineId);
		var byName = new HashMap<String, PoolView>();
		pools.all().forEach(pool -> byName.put(pool.name(), pool));
		if (rows.isEmpty() && byName.isEmpty()) {
			// nothing to keep or start: no need to ask the engine (what a deleted pool
			// left behind is the reconciler's, as any container without a row)
			return new Pass(0, 0, 0, 0);
		}
		var running = new HashMap<String, ContainerState>();
		var leftovers = new HashSet<String>();
		var known = new HashSet<String>();
		rows.forEach(m -> known.add(m.id()));
		for (var container : containers.managedContainers()) {
			var id = container.sandboxId();
			if (id == null || !container.labels().containsKey(ContainerLabels.POOL)) {
				continue;
			}
			running.put(id, container);
			if (!known.contains(id)) {
				leftovers.add(id);
			}
		}
		var leftoversRemoved = removeLeftovers(leftovers);

		var haltedTenants = new HashSet<String>();
		halts.active().forEach(h -> haltedTenants.add(h.tenant()));
		var globalHalt = haltedTenants.contains(null);
		var current = new HashMap<String, PolicyView>();
		var kept = new HashMap<String, Integer>();
		var dropped = 0;
		for (var member : rows) {
			var pool = byName.get(member.pool());
			var reason = globalHalt ? "a global halt" : dropReason(member, pool, current, running, kept);
			if (reason == null) {
				kept.merge(member.pool(), 1, Integer::sum);
			}
			else if (drop(member, reason)) {
				dropped++;
			}
		}
		if (globalHalt) {
			return new Pass(dropped, leftoversRemoved, 0, 0);
		}

		var total = kept.values().stream().mapToInt(Integer::intValue).sum();
		var starts = new ArrayList<MemberStarts.Start>();
		var budget = Math.min(pace.available(), settings.maxMembers() - total);
		var wanting = new ArrayList<PoolView>();
		for (var pool : byName.values()) {
			var policy = current.computeIfAbsent(pool.policy(), this::currentOrNull);
			if (policy == null) {
				if (pace.mayTry(pool.name())) {
					pace.failed(pool.name());
					pools.recordError(pool.name(), "policy '" + pool.policy() + "' does not exist", clock.instant());
				}
			}
			else if (pool.size() > kept.getOrDefault(pool.name(), 0) && !onlyHaltedMayUse(policy, haltedTenants)
					&& pace.mayTry(pool.name())) {
				wanting.add(pool);
			}
		}
		wanting.sort((a, b) -> a.name().compareTo(b.name()));
		// one start per pool in turn, so that one large pool does not starve the others
		while (budget > 0 && !wanting.isEmpty()) {
			for (var it = wanting.iterator(); it.hasNext() && budget > 0;) {
				var pool = it.next();
				var id = Ids.newId("sbx");
				var policy = current.get(pool.policy());
				members.insertStarting(id, pool.name(), policy.name(), policy.version(), pool.image(), engineId,
						clock.instant());
				starts.add(new MemberStarts.Start(id, pool, policy));
				budget--;
				if (kept.merge(pool.name(), 1, Integer::sum) >= pool.size()) {
					it.remove();
				}
			}
		}
		pace.spend(starts.size());
		var failed = starter.startAll(starts);
		return new Pass(dropped, leftoversRemoved, starts.size() - failed, failed);
	}

	/** Why {@code member} may no longer be claimed, or {@code null} to keep it. */
	private String dropReason(Member member, PoolView pool, Map<String, PolicyView> current,
			Map<String, ContainerState> running, Map<String, Integer> kept) {
		if (pool == null) {
			return "its pool was deleted";
		}
		if (!pool.policy().equals(member.policy()) || !pool.image().equals(member.image())) {
			return "its pool changed";
		}
		var policy = current.computeIfAbsent(pool.policy(), this::currentOrNull);
		if (policy == null || policy.version() != member.policyVersion()) {
			return "its policy changed";
		}
		if (member.ready()) {
			var container = running.get(member.id());
			if (container == null || !container.running()) {
				return "its container is gone";
			}
		}
		else if (member.createdAt().isBefore(clock.instant().minus(settings.startTimeout()))) {
			return "it did not start within " + settings.startTimeout();
		}
		if (kept.getOrDefault(member.pool(), 0) >= pool.size()) {
			return "its pool is smaller";
		}
		return null;
	}

	private PolicyView currentOrNull(String name) {
		try {
			return policies.current(name);
		}
		catch (PolicyNotFound e) {
			return null;
		}
	}

	/** Whether every tenant the policy admits is halted (none may claim). */
	private static boolean onlyHaltedMayUse(PolicyView policy, Set<String> haltedTenants) {
		return !policy.tenants().isEmpty() && haltedTenants.containsAll(policy.tenants());
	}

	private boolean drop(Member member, String reason) {
		if (!members.delete(member.id())) {
			return false; // claimed meanwhile: a sandbox now
		}
		log.info("Pool {} member {} dropped: {}", member.pool(), member.id(), reason);
		starter.remove(member.id());
		return true;
	}

	/**
	 * Removes pool containers with neither a member row nor a sandbox row. Claimed
	 * members keep their pool's label: they are told apart in one query, not one each.
	 */
	private int removeLeftovers(Set<String> candidates) {
		var removed = 0;
		var claimed = sandboxes.existing(candidates);
		for (var id : candidates) {
			if (claimed.contains(id) || members.exists(id)) {
				continue; // a member started after the read, or claimed
			}
			log.info("Pool container {} has no member row: removed", id);
			starter.remove(id);
			removed++;
		}
		return removed;
	}

}
