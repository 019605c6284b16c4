package dev.airlock.runtime.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * Reads the kernel's own counters for a container's cgroup when this host can see them
 * (Airlock beside the engine, or the cgroup tree mounted in): {@code pids.events} counts
 * every fork refused at the pids limit, which a fork bomb that collapses between two
 * samples would otherwise hide. Elsewhere it answers nothing.
 */
@Component
class CgroupCounters {

	private final Path root;

	private final Map<String, Path> eventsFiles = new ConcurrentHashMap<>();

	CgroupCounters(DockerSettings settings) {
		this.root = settings.cgroupRoot();
	}

	/**
	 * Forks refused at the pids limit since the container started, when the counter is
	 * readable.
	 */
	OptionalLong pidsLimitHits(String containerId) {
		var file = eventsFiles.computeIfAbsent(containerId, this::locate);
		try {
			for (var line : Files.readAllLines(file)) {
				if (line.startsWith("max ")) {
					return OptionalLong.of(Long.parseLong(line.substring(4).trim()));
				}
			}
		}
		catch (IOException | RuntimeException e) {
			eventsFiles.remove(containerId); // gone, or not visible from here
		}
		return OptionalLong.empty();
	}

	void forget(String containerId) {
		eventsFiles.remove(containerId);
	}

	/** cgroup v1 (cgroupfs driver), v1 with systemd, v2 with systemd or cgroupfs. */
	private Path locate(String containerId) {
		var candidates = List.of(root.resolve("pids/docker").resolve(containerId),
				root.resolve("pids/system.slice/docker-" + containerId + ".scope"),
				root.resolve("system.slice/docker-" + containerId + ".scope"),
				root.resolve("docker").resolve(containerId));
		for (var candidate : candidates) {
			if (Files.isReadable(candidate.resolve("pids.events"))) {
				return candidate.resolve("pids.events");
			}
		}
		return candidates.getFirst().resolve("pids.events");
	}

}
