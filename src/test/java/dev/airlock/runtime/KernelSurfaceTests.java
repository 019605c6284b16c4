package dev.airlock.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.airlock.IntegrationTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What code inside a sandbox can reach of the kernel: every call Airlock's seccomp
 * profile removes from Docker's default, made from inside by
 * agent/probe/syscall_probe.rs, and the host's kernel command line. Docker's default
 * profile allows ptrace, io_uring and modify_ldt, and shows /proc/cmdline; it already
 * refused the others, which stay refused.
 */
class KernelSurfaceTests extends IntegrationTestSupport {

	/** Built by agent/build.sh next to the agent, never put in the jar. */
	private static final Path PROBE = Path.of("target/agent/syscall-probe");

	private static final String IN_SANDBOX = "/workspace/syscall-probe";

	@Test
	void theProbeMakesCallsTheProfileAllows() throws IOException {
		assertThat(probe("getpid")).isEqualTo("ok");
	}

	/**
	 * ptrace attaching to another process of the sandbox and PTRACE_TRACEME, reading
	 * another process's memory, io_uring, userfaultfd, perf events, BPF, the keyring.
	 */
	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "ptrace-attach", "ptrace-traceme", "process_vm_readv", "io_uring_setup", "userfaultfd",
			"perf_event_open", "bpf", "keyctl", "add_key" })
	void eachRemovedCallIsRefusedFromInside(String call) throws IOException {
		assertThat(probe(call)).isEqualTo("EPERM");
	}

	@Test
	@EnabledOnOs(architectures = "amd64")
	void modifyLdtIsRefused() throws IOException {
		assertThat(probe("modify_ldt")).isEqualTo("EPERM");
	}

	@Test
	void theHostsKernelCommandLineAndConfigurationReadEmpty() {
		var id = sandbox();

		var result = exec(id,
				Map.of("command", List.of("sh", "-c",
						"wc -c < /proc/cmdline; cat /proc/config.gz /proc/kallsyms /proc/modules 2>/dev/null | wc -c")))
			.json();

		assertThat(result.get("stdout").asString()).as(result.toString()).isEqualTo("0\n0\n");
	}

	/**
	 * Runs the probe in a new sandbox as its user: answers {@code ok} or the errno's name
	 * of the call.
	 */
	private String probe(String call) throws IOException {
		assertThat(PROBE).as("the probe (./mvnw package builds it)").exists();
		var id = sandbox(Map.of("policy", newPolicy(Map.of("maxUploadBytes", 8L << 20))));
		var upload = api.upload(id, IN_SANDBOX, Files.readAllBytes(PROBE));
		assertThat(upload.status()).as(upload.body()).isEqualTo(201);

		var result = exec(id,
				Map.of("command", List.of("sh", "-c", "chmod +x " + IN_SANDBOX + " && " + IN_SANDBOX + " " + call)))
			.json();

		assertThat(result.get("exitCode").asInt()).as(result.toString()).isZero();
		return result.get("stdout").asString().strip();
	}

}
