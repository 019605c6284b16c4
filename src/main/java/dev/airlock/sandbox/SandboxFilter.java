package dev.airlock.sandbox;

import java.util.ArrayList;
import java.util.Map;

import jakarta.persistence.criteria.Predicate;
import org.jspecify.annotations.Nullable;
import org.springframework.data.jpa.domain.Specification;

/**
 * What a sandbox list asks for.
 *
 * @param tenant only this tenant's sandboxes, or all when {@code null}
 * @param status only sandboxes in this status, or all
 * @param labels only sandboxes carrying every one of these labels
 */
public record SandboxFilter(@Nullable String tenant, @Nullable SandboxStatus status, Map<String, String> labels) {

	Specification<Sandbox> toSpecification() {
		return (root, query, cb) -> {
			var predicates = new ArrayList<Predicate>();
			if (tenant != null) {
				predicates.add(cb.equal(root.get("tenant"), tenant));
			}
			if (status != null) {
				predicates.add(cb.equal(root.get("status"), status));
			}
			labels.forEach((key, value) -> {
				var sub = query.subquery(Integer.class);
				var correlated = sub.correlate(root);
				var label = correlated.joinMap("labels");
				sub.select(cb.literal(1)).where(cb.equal(label.key(), key), cb.equal(label.value(), value));
				predicates.add(cb.exists(sub));
			});
			return cb.and(predicates.toArray(Predicate[]::new));
		};
	}
}
