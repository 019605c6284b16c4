package dev.airlock.policy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import dev.airlock.core.SandboxPath;
import dev.airlock.core.ValidationFailed;

/** The checks on a policy definition that field annotations cannot express. */
final class PolicyRules {

	/** Places a writable mount would shadow or that the kernel owns. */
	private static final List<String> RESERVED = List.of("/proc", "/sys", "/dev", "/etc", "/bin", "/sbin", "/lib",
			"/lib64", "/usr", "/boot");

	private PolicyRules() {
	}

	static void validate(PolicyDefinition d, Set<String> allowedRuntimes) {
		var errors = new ValidationFailed.Collector();
		errors.check(d.defaultTtlSeconds() <= d.maxTtlSeconds(), "defaultTtlSeconds",
				"must not exceed maxTtlSeconds (" + d.maxTtlSeconds() + ")");
		errors.check(allowedRuntimes.contains(d.runtime()), "runtime", "must be one of " + allowedRuntimes);
		var seen = new HashSet<String>();
		for (int i = 0; i < d.writablePaths().size(); i++) {
			var path = d.writablePaths().get(i);
			var field = "writablePaths[" + i + "]";
			var problem = pathProblem(path);
			if (problem != null) {
				errors.add(field, problem);
				continue;
			}
			for (var other : seen) {
				if (new SandboxPath(path).overlaps(new SandboxPath(other))) {
					errors.add(field, "overlaps " + other);
				}
			}
			seen.add(path);
		}
		egress(d, errors);
		for (int i = 0; i < d.deniedCommandPatterns().size(); i++) {
			try {
				Pattern.compile(d.deniedCommandPatterns().get(i));
			}
			catch (PatternSyntaxException e) {
				errors.add("deniedCommandPatterns[" + i + "]", "is not a valid regular expression");
			}
		}
		errors.throwIfAny();
	}

	private static void egress(PolicyDefinition d, ValidationFailed.Collector errors) {
		var allowlist = d.egressAllowlist();
		if (!allowlist.isEmpty() && d.network() == NetworkMode.NONE) {
			errors.add("egressAllowlist", "needs network EGRESS");
		}
		if (!allowlist.isEmpty() && d.network() == NetworkMode.BRIDGE) {
			errors.add("egressAllowlist",
					"must be empty with network BRIDGE, which allows every public destination (name the destinations"
							+ " with network EGRESS instead)");
		}
		for (int i = 0; i < allowlist.size(); i++) {
			try {
				EgressRule.parse(allowlist.get(i));
			}
			catch (IllegalArgumentException e) {
				errors.add("egressAllowlist[" + i + "]", e.getMessage());
			}
		}
	}

	private static String pathProblem(String path) {
		if (!path.startsWith("/")) {
			return "must be absolute";
		}
		if (!SandboxPath.isNormal(path)) {
			var folds = path.indexOf('\0') >= 0 || path.contains("//") || path.endsWith("/");
			return folds ? "must be a normalised path" : "must be a normalised path without '.' or '..'";
		}
		var sandboxPath = new SandboxPath(path);
		if (sandboxPath.isRoot()) {
			return "must not be the root folder";
		}
		for (var reserved : RESERVED) {
			var kernels = new SandboxPath(reserved);
			if (sandboxPath.equals(kernels) || sandboxPath.isBelow(kernels)) {
				return "must not be under " + reserved;
			}
		}
		return null;
	}

}
