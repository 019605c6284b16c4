package dev.airlock.runtime.docker;

import java.io.Serial;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.github.dockerjava.api.model.HostConfig;

/**
 * A HostConfig that also sends the Engine API's {@code MaskedPaths} (API 1.40+), which
 * docker-java's lacks. The list replaces the engine's defaults, so it repeats them.
 */
class MaskedHostConfig extends HostConfig {

	/**
	 * Docker 20.10's masked paths; {@code /proc/interrupts} and
	 * {@code /sys/devices/virtual/powercap}, which newer engines mask
	 * (GHSA-6fw5-f8r9-fgfm, GHSA-jq35-85cj-fj4p); and what tells about the host's kernel
	 * and boot: its command line, bootconfig, build configuration, modules and symbols.
	 */
	static final List<String> MASKED_PATHS = List.of("/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys",
			"/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
			"/sys/firmware", "/proc/interrupts", "/sys/devices/virtual/powercap", "/proc/cmdline", "/proc/bootconfig",
			"/proc/config.gz", "/proc/modules", "/proc/kallsyms");

	@Serial
	private static final long serialVersionUID = 1L;

	@JsonProperty("MaskedPaths")
	private final String[] maskedPaths = MASKED_PATHS.toArray(String[]::new);

}
