package dev.airlock.runtime.docker;

import java.io.IOException;

import dev.airlock.runtime.RuntimeError;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Airlock's seccomp profile for every sandbox: Docker 20.10's default without the calls
 * the README lists (ptrace, io_uring, the keyring, bpf…), kept readable in the jar as
 * {@value #RESOURCE} and sent to the engine inline, so nothing is read from the host's
 * disk at runtime.
 */
final class SeccompProfile {

	/** The profile on the classpath (src/main/resources). */
	static final String RESOURCE = "/dev/airlock/runtime/docker/seccomp.json";

	/** The security option that applies it: {@code seccomp=<the profile on one line>}. */
	static final String SECURITY_OPT = "seccomp=" + oneLine();

	private SeccompProfile() {
	}

	private static String oneLine() {
		try (var in = SeccompProfile.class.getResourceAsStream(RESOURCE)) {
			if (in == null) {
				throw new RuntimeError("The seccomp profile " + RESOURCE + " is not on the classpath.", null);
			}
			var json = JsonMapper.builder().build();
			return json.writeValueAsString(json.readTree(in));
		}
		catch (IOException | JacksonException e) {
			throw new RuntimeError("The seccomp profile could not be read: " + e.getMessage(), e);
		}
	}

}
