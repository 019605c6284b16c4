package dev.airlock.runtime.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import dev.airlock.runtime.ContainerUsage;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Reads the kernel's own counters for a container's cgroup straight from the engine
 * host's cgroup files, when this host can see them (Airlock beside the engine, or the
 * tree mounted in): CPU time, processes, forks refused at the pids limit (which a fork
 * bomb that collapses between two samples would otherwise hide) and memory. A read costs
 * a few small file reads, where the engine's stats API costs a round trip and far more of
 * the engine's time. The numbers come from the host's kernel, never from inside the
 * sandbox. Elsewhere (a remote engine, no tree mounted) it answers nothing.
 */
@Component
class CgroupCounters {

	private final Path root;

	/** By sandbox id: the container's id, resolved once, and where its counters live. */
	private final Map<String, Entry> bySandbox = new ConcurrentHashMap<>();

	CgroupCounters(DockerSettings settings) {
		this.root = settings.cgroupRoot();
	}

	/**
	 * The sandbox's usage from its cgroup, when readable; the container's id is asked of
	 * {@code containerId} only the first time (and again after a read failed).
	 */
	Optional<ContainerUsage> usage(String sandboxId, Supplier<String> containerId) {
		var entry = bySandbox.get(sandboxId);
		if (entry == null || entry.dirs() == null) {
			var id = entry == null ? containerId.get() : entry.containerId();
			entry = new Entry(id, locate(id).orElse(null));
			// not found is remembered too: a remote engine costs no lookup per read
			bySandbox.put(sandboxId, entry);
		}
		var dirs = entry.dirs();
		if (dirs == null) {
			return Optional.empty();
		}
		try {
			return Optional.of(read(dirs));
		}
		catch (IOException | RuntimeException e) {
			bySandbox.remove(sandboxId); // gone, moved, or no longer visible from here
			return Optional.empty();
		}
	}

	/**
	 * Forks refused at the pids limit since the container started, when the counter is
	 * readable.
	 */
	OptionalLong pidsLimitHits(String containerId) {
		try {
			var dirs = locate(containerId);
			return dirs.isPresent() ? OptionalLong.of(pidsLimitHits(dirs.get().pids())) : OptionalLong.empty();
		}
		catch (IOException | RuntimeException e) {
			return OptionalLong.empty();
		}
	}

	/** The sandbox's container is removed: its entry goes. */
	void forget(String sandboxId) {
		bySandbox.remove(sandboxId);
	}

	/**
	 * cgroup v1 with the cgroupfs driver ({@code <controller>/docker/<id>}) or systemd
	 * ({@code <controller>/system.slice/docker-<id>.scope}); v2 with systemd or cgroupfs
	 * (one directory for every controller).
	 */
	Optional<Dirs> locate(String containerId) {
		if (containerId.isBlank()) {
			return Optional.empty(); // else docker/ itself: every container's sum
		}
		for (var group : List.of("docker/" + containerId, "system.slice/docker-" + containerId + ".scope")) {
			var pids = root.resolve("pids").resolve(group);
			var cpu = root.resolve("cpuacct").resolve(group);
			if (!Files.isDirectory(cpu)) {
				cpu = root.resolve("cpu,cpuacct").resolve(group);
			}
			if (Files.isDirectory(pids) && Files.isDirectory(cpu)) {
				return Optional.of(new Dirs(cpu, pids, root.resolve("memory").resolve(group), false));
			}
		}
		for (var group : List.of("system.slice/docker-" + containerId + ".scope", "docker/" + containerId)) {
			var dir = root.resolve(group);
			if (Files.exists(dir.resolve("cgroup.controllers"))) {
				return Optional.of(new Dirs(dir, dir, dir, true));
			}
		}
		return Optional.empty();
	}

	static ContainerUsage read(Dirs dirs) throws IOException {
		long cpuNanos;
		long memory;
		long memoryLimit;
		if (dirs.v2()) {
			cpuNanos = field(Files.readString(dirs.cpu().resolve("cpu.stat")), "usage_usec") * 1000;
			memory = number(dirs.memory().resolve("memory.current"));
			memoryLimit = number(dirs.memory().resolve("memory.max"));
		}
		else {
			cpuNanos = number(dirs.cpu().resolve("cpuacct.usage"));
			memory = number(dirs.memory().resolve("memory.usage_in_bytes"));
			memoryLimit = number(dirs.memory().resolve("memory.limit_in_bytes"));
		}
		return new ContainerUsage(cpuNanos, number(dirs.pids().resolve("pids.current")),
				number(dirs.pids().resolve("pids.max")), pidsLimitHits(dirs.pids()), memory, memoryLimit,
				ContainerUsage.Source.CGROUP);
	}

	/** {@code max N} of {@code pids.events}; -1 where the kernel has no such file. */
	private static long pidsLimitHits(Path pids) throws IOException {
		try {
			return field(Files.readString(pids.resolve("pids.events")), "max");
		}
		catch (NoSuchFileException e) {
			return -1;
		}
	}

	/** A file of one number, or {@code max} (no limit: -1). */
	private static long number(Path file) throws IOException {
		var text = Files.readString(file).trim();
		return text.equals("max") ? -1 : Long.parseLong(text);
	}

	/** The value of a {@code key value} line. */
	private static long field(String text, String key) throws IOException {
		for (var line : text.split("\n")) {
			if (line.startsWith(key + " ")) {
				return Long.parseLong(line.substring(key.length() + 1).trim());
			}
		}
		throw new IOException("no " + key + " line");
	}

	/**
	 * Where a container's counters live: one directory per controller under v1, the same
	 * one thrice under v2.
	 */
	record Dirs(Path cpu, Path pids, Path memory, boolean v2) {
	}

	private record Entry(String containerId, @Nullable Dirs dirs) {
	}

}
