package dev.airlock.runtime.docker;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.VolumeOptions;
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
 * A read-only volume mounted at {@value #MOUNT} in every sandbox, holding a static
 * busybox. Airlock's own helpers (killing an exec's process tree, listing and deleting
 * files) run with it, so they work in any image, even one without a shell.
 */
@Component
class ToolsVolume {

	static final String MOUNT = "/.airlock";
	static final String BUSYBOX = MOUNT + "/bin/busybox";
	static final String LABEL = "airlock.tools";

	private static final Logger log = LoggerFactory.getLogger(ToolsVolume.class);

	private final DockerClient docker;

	private final DockerSettings settings;

	private volatile String readyVolume;

	ToolsVolume(DockerClient docker, DockerSettings settings) {
		this.docker = docker;
		this.settings = settings;
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
		byte[] busybox;
		try {
			busybox = Files.readAllBytes(settings.toolsBusybox());
		}
		catch (IOException e) {
			throw new RuntimeError("The tools binary " + settings.toolsBusybox()
					+ " is missing: install a static busybox there (Debian: busybox-static).", e);
		}
		var version = Sha256.hex(Sha256.of(busybox)).substring(0, 12);
		var name = DockerNames.tools(version);
		var labels = Map.of(ContainerLabels.MANAGED, "true", LABEL, version);
		try {
			docker.inspectVolumeCmd(name).exec();
		}
		catch (NotFoundException missing) {
			DockerErrors.run("create the tools volume",
					() -> docker.createVolumeCmd().withName(name).withLabels(labels).exec());
		}
		catch (RuntimeException e) {
			throw DockerErrors.translate("inspect the tools volume", e);
		}
		// A container that is created but never started gives the archive API a way into
		// the volume.
		var filler = DockerErrors.call("create the tools filler",
				() -> docker.createContainerCmd(image)
					.withName(DockerNames.PREFIX + "tools-filler-" + version + "-" + ProcessHandle.current().pid() + "-"
							+ System.nanoTime())
					.withLabels(labels)
					.withEntrypoint(BUSYBOX)
					.withHostConfig(HostConfig.newHostConfig()
						.withNetworkMode("none")
						.withMounts(List.of(new Mount().withType(MountType.VOLUME).withSource(name).withTarget(MOUNT))))
					.exec()
					.getId());
		try {
			if (!holds(filler, busybox.length)) {
				DockerErrors.run("fill the tools volume",
						() -> docker.copyArchiveToContainerCmd(filler)
							.withRemotePath(MOUNT)
							.withTarInputStream(new ByteArrayInputStream(tar(busybox)))
							.exec());
				log.info("Tools volume {} filled from {}", name, settings.toolsBusybox());
			}
		}
		finally {
			try {
				docker.removeContainerCmd(filler).withForce(true).exec();
			}
			catch (RuntimeException e) {
				log.warn("Could not remove the tools filler container {}: {}", filler, e.getMessage());
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
		try (var tar = docker.copyArchiveFromContainerCmd(container, BUSYBOX).exec();
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

	private static byte[] tar(byte[] busybox) {
		var bytes = new ByteArrayOutputStream(busybox.length + 4096);
		try (var tar = new TarArchiveOutputStream(bytes)) {
			var folder = new TarArchiveEntry("bin/");
			folder.setMode(040755);
			tar.putArchiveEntry(folder);
			tar.closeArchiveEntry();
			var binary = new TarArchiveEntry("bin/busybox");
			binary.setMode(0100755);
			binary.setSize(busybox.length);
			tar.putArchiveEntry(binary);
			tar.write(busybox);
			tar.closeArchiveEntry();
		}
		catch (IOException e) {
			throw new IllegalStateException("writing to memory cannot fail", e);
		}
		return bytes.toByteArray();
	}

}
