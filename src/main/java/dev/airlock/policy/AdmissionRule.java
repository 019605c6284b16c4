package dev.airlock.policy;

import java.util.Optional;

import dev.airlock.core.AirlockException;

/**
 * One small rule a new sandbox must pass; answers a rejection, or nothing when the
 * request is allowed.
 */
interface AdmissionRule {

	Optional<AirlockException> check(PolicyView policy, AdmissionRequest request);

	/** Only tenants the policy grants (its {@code tenants}; empty: every tenant). */
	AdmissionRule TENANT_GRANTED = (policy, request) -> policy.grants(request.tenant()) ? Optional.empty()
			: Optional.of(new PolicyNotAllowed(request.tenant(), policy.name()));

	/** Only images that match one of the policy's {@code allowedImages} globs. */
	AdmissionRule IMAGE_ALLOWED = (policy,
			request) -> policy.allowedImages()
				.stream()
				.map(ImagePattern::of)
				.anyMatch(pattern -> pattern.matches(request.image())) ? Optional.empty()
						: Optional.of(new ImageNotAllowed(request.image(), policy));

	/** No more CPU than the policy gives. */
	AdmissionRule CPUS_WITHIN_POLICY = (policy, request) -> request.cpus() <= policy.cpus() ? Optional.empty()
			: Optional.of(new PolicyViolation("resources.cpus " + request.cpus() + " exceeds policy '" + policy.name()
					+ "' limit of " + policy.cpus() + "."));

	/** No more memory than the policy gives. */
	AdmissionRule MEMORY_WITHIN_POLICY = (policy, request) -> request.memoryMb() <= policy.memoryMb() ? Optional.empty()
			: Optional.of(new PolicyViolation("resources.memoryMb " + request.memoryMb() + " exceeds policy '"
					+ policy.name() + "' limit of " + policy.memoryMb() + "."));

}
