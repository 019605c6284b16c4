package dev.airlock.policy;

import java.time.Instant;
import java.util.List;

import dev.airlock.core.ErrorCode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The rules a new sandbox must pass against its policy, each on its own. */
class AdmissionRuleTest {

	/** A policy with the seeded defaults but for its images, CPUs and memory. */
	static PolicyView policy(List<String> allowedImages, double cpus, int memoryMb) {
		var definition = new PolicyDefinition("strict", null, allowedImages, null, null, null, cpus, memoryMb, null,
				null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
		return new Policy("strict", 3, definition.withDefaults(), Instant.EPOCH, "key:test").toView();
	}

	static final PolicyView POLICY = policy(List.of("busybox:*", "python:3.12"), 1.5, 256);

	static AdmissionRequest request(String image, double cpus, int memoryMb) {
		return new AdmissionRequest(image, cpus, memoryMb, 600, "team-a");
	}

	@Test
	void anImageMatchingAnyAllowedGlobIsAdmitted() {
		for (var image : List.of("busybox:1.35", "busybox", "python:3.12")) {
			assertThat(AdmissionRule.IMAGE_ALLOWED.check(POLICY, request(image, 1, 64))).as(image).isEmpty();
		}
	}

	@Test
	void anImageMatchingNoGlobIsRefusedNamingTheImageThePolicyAndWhatIsAllowed() {
		for (var image : List.of("nginx:latest", "python:3.11", "python", "evil/busybox:1.35", "busyboxx:1")) {
			var rejection = AdmissionRule.IMAGE_ALLOWED.check(POLICY, request(image, 1, 64));

			assertThat(rejection).as(image).get().isInstanceOf(ImageNotAllowed.class).satisfies(e -> {
				assertThat(e.code()).isEqualTo(ErrorCode.IMAGE_NOT_ALLOWED);
				assertThat(e.getMessage()).isEqualTo(
						"Image '" + image + "' is not allowed by policy 'strict' (allowed: busybox:*, python:3.12).");
			});
		}
	}

	@Test
	void aPolicyThatAllowsNoImagesAdmitsNone() {
		var none = policy(List.of(), 1, 256);

		assertThat(AdmissionRule.IMAGE_ALLOWED.check(none, request("busybox:1.35", 1, 64))).isPresent();
	}

	@Test
	void cpusUpToThePolicysLimitAreAdmitted() {
		assertThat(AdmissionRule.CPUS_WITHIN_POLICY.check(POLICY, request("busybox:1.35", 0.25, 64))).isEmpty();
		assertThat(AdmissionRule.CPUS_WITHIN_POLICY.check(POLICY, request("busybox:1.35", 1.5, 64))).isEmpty();
	}

	@Test
	void moreCpusThanThePolicyGivesIsAViolationNamingTheFieldAndTheLimit() {
		var rejection = AdmissionRule.CPUS_WITHIN_POLICY.check(POLICY, request("busybox:1.35", 1.51, 64));

		assertThat(rejection).get().isInstanceOf(PolicyViolation.class).satisfies(e -> {
			assertThat(e.code()).isEqualTo(ErrorCode.POLICY_VIOLATION);
			assertThat(e.getMessage()).isEqualTo("resources.cpus 1.51 exceeds policy 'strict' limit of 1.5.");
		});
	}

	@Test
	void memoryUpToThePolicysLimitIsAdmitted() {
		assertThat(AdmissionRule.MEMORY_WITHIN_POLICY.check(POLICY, request("busybox:1.35", 1, 6))).isEmpty();
		assertThat(AdmissionRule.MEMORY_WITHIN_POLICY.check(POLICY, request("busybox:1.35", 1, 256))).isEmpty();
	}

	@Test
	void moreMemoryThanThePolicyGivesIsAViolationNamingTheFieldAndTheLimit() {
		var rejection = AdmissionRule.MEMORY_WITHIN_POLICY.check(POLICY, request("busybox:1.35", 1, 257));

		assertThat(rejection).get().isInstanceOf(PolicyViolation.class).satisfies(e -> {
			assertThat(e.code()).isEqualTo(ErrorCode.POLICY_VIOLATION);
			assertThat(e.getMessage()).isEqualTo("resources.memoryMb 257 exceeds policy 'strict' limit of 256.");
		});
	}

	@Test
	void eachRuleJudgesOnlyItsOwnConcern() {
		var everythingWrong = request("nginx:latest", 64, 262144);

		assertThat(AdmissionRule.IMAGE_ALLOWED.check(POLICY, everythingWrong)).get()
			.isInstanceOf(ImageNotAllowed.class);
		assertThat(AdmissionRule.CPUS_WITHIN_POLICY.check(POLICY, everythingWrong)).get()
			.isInstanceOf(PolicyViolation.class);
		assertThat(AdmissionRule.MEMORY_WITHIN_POLICY.check(POLICY, everythingWrong)).get()
			.isInstanceOf(PolicyViolation.class);
		var onlyTheImageWrong = request("nginx:latest", 1, 64);
		assertThat(AdmissionRule.CPUS_WITHIN_POLICY.check(POLICY, onlyTheImageWrong)).isEmpty();
		assertThat(AdmissionRule.MEMORY_WITHIN_POLICY.check(POLICY, onlyTheImageWrong)).isEmpty();
	}

}
