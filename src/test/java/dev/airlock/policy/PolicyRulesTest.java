package dev.airlock.policy;

import java.util.List;
import java.util.Set;

import dev.airlock.core.FieldViolation;
import dev.airlock.core.ValidationFailed;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The checks on a policy that span fields or go beyond what annotations say. */
class PolicyRulesTest {

	static final Set<String> RUNTIMES = Set.of("runc", "runsc");

	/** A complete definition: the seeded defaults, but for the fields given. */
	static PolicyDefinition definition(@Nullable Integer defaultTtlSeconds, @Nullable Integer maxTtlSeconds,
			@Nullable List<String> writablePaths, @Nullable List<String> deniedCommandPatterns,
			@Nullable String runtime) {
		return new PolicyDefinition("p", null, null, defaultTtlSeconds, maxTtlSeconds, null, null, null, null, null,
				null, null, null, writablePaths, null, null, null, null, deniedCommandPatterns, null, null, null,
				runtime, null)
			.withDefaults();
	}

	static PolicyDefinition writablePaths(String... paths) {
		return definition(null, null, List.of(paths), null, null);
	}

	static List<FieldViolation> violations(PolicyDefinition definition) {
		var failure = catchThrowableOfType(ValidationFailed.class, () -> PolicyRules.validate(definition, RUNTIMES));
		assertThat(failure).as("a ValidationFailed").isNotNull();
		return failure.violations();
	}

	@Test
	void theSeededDefaultsPass() {
		assertThatCode(() -> PolicyRules.validate(PolicyDefinition.DEFAULTS.withDefaults(), Set.of("runc")))
			.doesNotThrowAnyException();
	}

	@Test
	void theDefaultTtlMayNotExceedTheMaximum() {
		assertThatCode(() -> PolicyRules.validate(definition(60, 60, null, null, null), RUNTIMES))
			.doesNotThrowAnyException();

		assertThat(violations(definition(600, 60, null, null, null)))
			.containsExactly(new FieldViolation("defaultTtlSeconds", "must not exceed maxTtlSeconds (60)"));
	}

	@Test
	void theRuntimeMustBeOneTheServiceAllows() {
		assertThatCode(() -> PolicyRules.validate(definition(null, null, null, null, "runsc"), RUNTIMES))
			.doesNotThrowAnyException();

		var violations = violations(definition(null, null, null, null, "kata"));
		assertThat(violations).singleElement().satisfies(v -> {
			assertThat(v.field()).isEqualTo("runtime");
			assertThat(v.message()).startsWith("must be one of ").contains("runc", "runsc");
		});
	}

	@Test
	void writablePathsAreAbsoluteAndNormalised() {
		assertThat(violations(writablePaths("workspace", "/a//b", "/a/b/", "/a/../etc", "/a/./b", "/a\0b")))
			.containsExactly(new FieldViolation("writablePaths[0]", "must be absolute"),
					new FieldViolation("writablePaths[1]", "must be a normalised path"),
					new FieldViolation("writablePaths[2]", "must be a normalised path"),
					new FieldViolation("writablePaths[3]", "must be a normalised path without '.' or '..'"),
					new FieldViolation("writablePaths[4]", "must be a normalised path without '.' or '..'"),
					new FieldViolation("writablePaths[5]", "must be a normalised path"));
	}

	@Test
	void writablePathsStayOutOfTheRootAndWhatTheSystemOwns() {
		assertThat(violations(writablePaths("/", "/proc", "/sys/fs", "/dev/shm", "/etc", "/usr/local/lib", "/bin",
				"/sbin", "/lib", "/lib64", "/boot")))
			.containsExactly(new FieldViolation("writablePaths[0]", "must not be the root folder"),
					new FieldViolation("writablePaths[1]", "must not be under /proc"),
					new FieldViolation("writablePaths[2]", "must not be under /sys"),
					new FieldViolation("writablePaths[3]", "must not be under /dev"),
					new FieldViolation("writablePaths[4]", "must not be under /etc"),
					new FieldViolation("writablePaths[5]", "must not be under /usr"),
					new FieldViolation("writablePaths[6]", "must not be under /bin"),
					new FieldViolation("writablePaths[7]", "must not be under /sbin"),
					new FieldViolation("writablePaths[8]", "must not be under /lib"),
					new FieldViolation("writablePaths[9]", "must not be under /lib64"),
					new FieldViolation("writablePaths[10]", "must not be under /boot"));
	}

	@Test
	void aPathThatOnlySharesAPrefixWithAReservedOneIsFine() {
		assertThatCode(
				() -> PolicyRules.validate(writablePaths("/etcetera", "/library", "/devices", "/workspace"), RUNTIMES))
			.doesNotThrowAnyException();
	}

	@Test
	void writablePathsMayNotOverlapOrRepeat() {
		assertThat(violations(writablePaths("/work", "/work/cache", "/data", "/data", "/work2"))).containsExactly(
				new FieldViolation("writablePaths[1]", "overlaps /work"),
				new FieldViolation("writablePaths[3]", "overlaps /data"));
		assertThat(violations(writablePaths("/work/cache", "/work")))
			.containsExactly(new FieldViolation("writablePaths[1]", "overlaps /work/cache"));
	}

	@Test
	void aRefusedPathIsNotComparedWithTheOthers() {
		assertThat(violations(writablePaths("/etc", "/etc/app"))).containsExactly(
				new FieldViolation("writablePaths[0]", "must not be under /etc"),
				new FieldViolation("writablePaths[1]", "must not be under /etc"));
	}

	@Test
	void deniedCommandPatternsMustBeRegularExpressions() {
		assertThatCode(() -> PolicyRules
			.validate(definition(null, null, null, List.of("^nmap", "(^|\\s)curl(\\s|$)"), null), RUNTIMES))
			.doesNotThrowAnyException();

		assertThat(violations(definition(null, null, null, List.of("^ok", "(unclosed", "[a-"), null))).containsExactly(
				new FieldViolation("deniedCommandPatterns[1]", "is not a valid regular expression"),
				new FieldViolation("deniedCommandPatterns[2]", "is not a valid regular expression"));
	}

	static PolicyDefinition egress(NetworkMode network, List<String> allowlist) {
		return new PolicyDefinition("p", null, null, null, null, null, null, null, null, null, network, allowlist, null,
				null, null, null, null, null, null, null, null, null, null, null)
			.withDefaults();
	}

	@Test
	void egressEntriesAreEachCheckedAndNamed() {
		assertThatCode(() -> PolicyRules.validate(
				egress(NetworkMode.EGRESS, List.of("pypi.org", "*.githubusercontent.com", "203.0.113.0/24:8443")),
				RUNTIMES))
			.doesNotThrowAnyException();

		var violations = violations(
				egress(NetworkMode.EGRESS, List.of("pypi.org", "http://allowed@evil/", "2130706433", "*.", "a:0")));
		assertThat(violations).extracting(FieldViolation::field)
			.containsExactly("egressAllowlist[1]", "egressAllowlist[2]", "egressAllowlist[3]", "egressAllowlist[4]");
		assertThat(violations).allSatisfy(v -> assertThat(v.message()).startsWith("must"));
	}

	@Test
	void anAllowlistNeedsNetworkEgress() {
		assertThat(violations(egress(NetworkMode.NONE, List.of("pypi.org"))))
			.containsExactly(new FieldViolation("egressAllowlist", "needs network EGRESS"));
		assertThat(violations(egress(NetworkMode.BRIDGE, List.of("pypi.org")))).extracting(FieldViolation::field)
			.containsExactly("egressAllowlist");
		assertThatCode(() -> PolicyRules.validate(egress(NetworkMode.BRIDGE, List.of()), RUNTIMES))
			.as("BRIDGE as before: no list")
			.doesNotThrowAnyException();
		assertThatCode(() -> PolicyRules.validate(egress(NetworkMode.EGRESS, List.of()), RUNTIMES))
			.as("EGRESS with nothing allowed: every request refused, and recorded")
			.doesNotThrowAnyException();
	}

	@Test
	void everyBrokenRuleIsReportedAtOnce() {
		var broken = definition(600, 60, List.of("relative", "/proc/x"), List.of("("), "kata");

		assertThat(violations(broken)).extracting(FieldViolation::field)
			.containsExactly("defaultTtlSeconds", "runtime", "writablePaths[0]", "writablePaths[1]",
					"deniedCommandPatterns[0]");
	}

}
