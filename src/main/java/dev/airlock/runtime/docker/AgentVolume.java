package dev.airlock.runtime.docker;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.VolumeOptions;
import dev.airlock.core.Deployment;
import dev.airlock.core.Sha256;
import dev.airlock.runtime.ContainerLabels;
import dev.airlock.runtime.RuntimeError;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A read-only volume mounted at {@value #MOUNT} in every sandbox, holding the agent: a
 * static binary (built from {@code agent/} into the jar) that needs nothing of the image,
 * so any image works, even one without a shell. One volume per agent build, named by its
 * hash: a sandbox keeps the agent it started with while newer sandboxes get the new one.
 * Each deployment has its own (the name carries the deployment's id), so deployments that
 * share an engine never depend on, or clean up, each other's.
 */
@Component
class AgentVolume {

	static final String MOUNT = "/.airlock";
	static final String AGENT = MOUNT + "/bin/airlock-agent";
	static final String LABEL = "airlock.tools";

	/** Where the build puts the agent on the classpath. */
	static final String RESOURCE = "/agent/airlock-agent";

	private static final Logger log = LoggerFactory.getLogger(AgentVolume.class);

	private final DockerClient docker;

	private final Deployment deployment;

	private volatile String readyVolume;

	AgentVolume(DockerClient docker, Deployment deployment) {
		this.docker = docker;
		this.deployment = deployment;
	}

	/**
	 * The volume's mount for a new sandbox; fills the volume first if this process has
	 * not yet.
	 */
	Mount mountFor(String image) {
		var volume = readyVolume;
		if (volume == null) {
			volume = prepare(image);
		}
		return new Mount().withType(MountType.VOLUME)
			.withSource(volume)
			.withTarget(MOUNT)
			.withReadOnly(true)
			.withVolumeOptions(new VolumeOptions().withNoCopy(true));
	}

	private synchronized String prepare(String image) {
		if (readyVolume != null) {
			return readyVolume;
		}
		var agent = agentBinary();
		var version = Sha256.hex(Sha256.of(agent)).substring(0, 12);
		var name = DockerNames.tools(deployment.id(), version);
		var labels = Map.of(ContainerLabels.MANAGED, "true", ContainerLabels.DEPLOYMENT, deployment.id(), LABEL,
				version);
		try {
			docker.inspectVolumeCmd(name).exec();
		}
		catch (NotFoundException missing) {
			DockerErrors.run("create the agent volume",
					() -> docker.createVolumeCmd().withName(name).withLabels(labels).exec());
		}
		catch (RuntimeException e) {
			throw DockerErrors.translate("inspect the agent volume", e);
		}
		// A container that is created but never started gives the archive API a way into
		// the volume.
		var filler = DockerErrors.call("create the agent volume's filler",
				() -> docker.createContainerCmd(image)
					.withName(DockerNames.PREFIX + "tools-filler-" + version + "-" + ProcessHandle.current().pid() + "-"
							+ System.nanoTime())
					.withLabels(labels)
					.withEntrypoint(AGENT)
					.withHostConfig(HostConfig.newHostConfig()
						.withNetworkMode("none")
						.withMounts(List.of(new Mount().withType(MountType.VOLUME).withSource(name).withTarget(MOUNT))))
					.exec()
					.getId());
		try {
			if (!holds(filler, agent.length)) {
				DockerErrors.run("fill the agent volume",
						() -> docker.copyArchiveToContainerCmd(filler)
							.withRemotePath(MOUNT)
							.withTarInputStream(new ByteArrayInputStream(tar(agent)))
							.exec());
				log.info("Agent volume {} filled", name);
			}
		}
		finally {
			try {
				docker.removeContainerCmd(filler).withForce(true).exec();
			}
			catch (RuntimeException e) {
				log.warn("Could not remove the agent volume's filler container {}: {}", filler, e.getMessage());
			}
		}
		readyVolume = name;
		return name;
	}

	/**
	 * Whether the volume already has the binary: rewriting it while sandboxes run it
	 * would fail (text file busy).
	 */
	private boolean holds(String container, long size) {
		try (var tar = docker.copyArchiveFromContainerCmd(container, AGENT).exec();
				var entries = new TarArchiveInputStream(tar)) {
			var entry = entries.getNextEntry();
			return entry != null && entry.getSize() == size;
		}
		catch (NotFoundException e) {
			return false;
		}
		catch (IOException e) {
			return false;
		}
	}

	private static byte[] agentBinary() {
		try (var in = AgentVolume.class.getResourceAsStream(RESOURCE)) {
			if (in == null) {
				throw new RuntimeError("The agent binary " + RESOURCE
						+ " is not on the classpath: build with ./mvnw (it compiles agent/ with rustc).", null);
			}
			return in.readAllBytes();
		}
		catch (IOException e) {
			throw new RuntimeError("The agent binary could not be read: " + e.getMessage(), e);
		}
	}

	private static byte[] tar(byte[] agent) {
		var bytes = new ByteArrayOutputStream(agent.length + 4096);
		try (var tar = new TarArchiveOutputStream(bytes)) {
			var folder = new TarArchiveEntry("bin/");
			folder.setMode(040755);
			tar.putArchiveEntry(folder);
			tar.closeArchiveEntry();
			var binary = new TarArchiveEntry("bin/airlock-agent");
			binary.setMode(0100755);
			binary.setSize(agent.length);
			tar.putArchiveEntry(binary);
			tar.write(agent);
			tar.closeArchiveEntry();
		}
		catch (IOException e) {
			throw new IllegalStateException("writing to memory cannot fail", e);
		}
		return bytes.toByteArray();
	}

}
