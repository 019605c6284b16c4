package dev.airlock.runtime.docker;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class SeccompProfileTest {

	/** The calls the README says the profile refuses; none may be in any allow rule. */
	static final Set<String> REFUSED = Set.of("ptrace", "process_vm_readv", "process_vm_writev", "io_uring_setup",
			"io_uring_enter", "io_uring_register", "userfaultfd", "perf_event_open", "bpf", "add_key", "request_key",
			"keyctl", "kcmp", "pidfd_getfd", "process_madvise", "name_to_handle_at", "open_by_handle_at",
			"lookup_dcookie", "modify_ldt");

	/**
	 * What the agent (PID 1 of every sandbox) and Rust's std call; glibc's fork is a
	 * clone without namespace flags, which a rule of its own allows.
	 */
	static final Set<String> AGENT_CALLS = Set.of("openat", "openat2", "read", "write", "close", "poll", "ppoll",
			"fork", "execve", "wait4", "kill", "setsid", "prctl", "signalfd4", "rt_sigprocmask", "pipe2", "dup2",
			"dup3", "fcntl", "fstat", "newfstatat", "statx", "fstatfs", "getdents64", "mkdirat", "unlinkat", "renameat",
			"fchmod", "fchdir", "lseek", "getpid", "getppid", "exit_group");

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void refusesWhatItDoesNotAllowWithEperm() throws IOException {
		var profile = file();

		assertThat(profile.get("defaultAction").asString()).isEqualTo("SCMP_ACT_ERRNO");
		// no errnoRet: the engine's runc answers EPERM, as with Docker's default profile
		assertThat(profile.has("defaultErrnoRet")).isFalse();
	}

	@Test
	void noRefusedCallIsInAnyAllowRule() throws IOException {
		var allowed = allowedNames(file());

		assertThat(allowed).isNotEmpty().doesNotContainAnyElementsOf(REFUSED);
	}

	@Test
	void keepsWhatTheAgentCallsAllowedWithoutConditions() throws IOException {
		var unconditional = new ArrayList<String>();
		for (var rule : file().get("syscalls")) {
			if (isAllow(rule) && rule.get("includes").isEmpty() && rule.get("excludes").isEmpty()
					&& rule.get("args").isEmpty()) {
				rule.get("names").forEach(name -> unconditional.add(name.asString()));
			}
		}

		assertThat(unconditional).containsAll(AGENT_CALLS);
	}

	@Test
	void isSentAsTheSameProfileOnOneLine() throws IOException {
		assertThat(SeccompProfile.SECURITY_OPT).startsWith("seccomp={").doesNotContain("\n");
		assertThat(json.readTree(SeccompProfile.SECURITY_OPT.substring("seccomp=".length()))).isEqualTo(file());
	}

	@Test
	void theHostConfigSendsTheMaskedPathsWithDockersDefaults() throws IOException {
		// docker-java writes its requests with Jackson 2
		var body = new ObjectMapper().writeValueAsString(new MaskedHostConfig().withPrivileged(false));
		var masked = new ArrayList<String>();
		json.readTree(body).get("MaskedPaths").forEach(path -> masked.add(path.asString()));

		assertThat(masked).contains("/proc/cmdline", "/proc/kcore", "/proc/keys", "/proc/timer_list",
				"/proc/sched_debug", "/sys/firmware");
		assertThat(body).contains("\"Privileged\":false");
	}

	private JsonNode file() throws IOException {
		try (var in = SeccompProfile.class.getResourceAsStream(SeccompProfile.RESOURCE)) {
			assertThat(in).as(SeccompProfile.RESOURCE).isNotNull();
			return json.readTree(in);
		}
	}

	private static List<String> allowedNames(JsonNode profile) {
		var names = new ArrayList<String>();
		for (var rule : profile.get("syscalls")) {
			if (isAllow(rule)) {
				rule.path("names").forEach(name -> names.add(name.asString()));
				if (rule.has("name")) {
					names.add(rule.get("name").asString());
				}
			}
		}
		return names;
	}

	private static boolean isAllow(JsonNode rule) {
		return rule.get("action").asString().startsWith("SCMP_ACT_ALLOW");
	}

}
