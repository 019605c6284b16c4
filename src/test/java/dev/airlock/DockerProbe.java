package dev.airlock;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import dev.airlock.runtime.ContainerLabels;
import org.springframework.boot.test.context.TestComponent;

/**
 * Looks at the real Docker daemon behind Airlock's back, to check what Airlock did there.
 */
@TestComponent
public class DockerProbe {

	private final DockerClient docker;

	DockerProbe(DockerClient docker) {
		this.docker = docker;
	}

	public List<Container> containersOf(String sandboxId) {
		return docker.listContainersCmd()
			.withShowAll(true)
			.withLabelFilter(Map.of(ContainerLabels.SANDBOX_ID, sandboxId))
			.exec();
	}

	public List<InspectVolumeResponse> volumesOf(String sandboxId) {
		var volumes = docker.listVolumesCmd()
			.withFilter("label", List.of(ContainerLabels.SANDBOX_ID + "=" + sandboxId))
			.exec()
			.getVolumes();
		return volumes == null ? List.of() : volumes;
	}

	public InspectContainerResponse inspect(String sandboxId) {
		var containers = containersOf(sandboxId);
		if (containers.size() != 1) {
			throw new AssertionError("expected one container for " + sandboxId + " but found " + containers.size());
		}
		return docker.inspectContainerCmd(containers.getFirst().getId()).exec();
	}

	/** docker rm -f, as an operator might: Airlock is not told. */
	public void removeBehindAirlocksBack(String sandboxId) {
		docker.removeContainerCmd(inspect(sandboxId).getId()).withForce(true).exec();
	}

	public DockerClient client() {
		return docker;
	}

	public InspectVolumeResponse inspectVolume(String name) {
		return docker.inspectVolumeCmd(name).exec();
	}

	/**
	 * Starts a container of {@link IntegrationTestSupport#IMAGE} that sleeps, with these
	 * labels (as if Airlock, or another deployment, had made it); answers its id.
	 */
	public String startSleeper(Map<String, String> labels) {
		var id = docker.createContainerCmd(IntegrationTestSupport.IMAGE)
			.withEntrypoint("sleep")
			.withCmd("600")
			.withLabels(labels)
			.exec()
			.getId();
		docker.startContainerCmd(id).exec();
		return id;
	}

	/** Whether the container (by id or name) is still there. */
	public boolean containerExists(String idOrName) {
		return found(() -> docker.inspectContainerCmd(idOrName).exec());
	}

	public boolean volumeExists(String name) {
		return found(() -> docker.inspectVolumeCmd(name).exec());
	}

	private static boolean found(Runnable inspect) {
		try {
			inspect.run();
			return true;
		}
		catch (NotFoundException e) {
			return false;
		}
	}

	/**
	 * Runs a command in the sandbox's container with plain docker exec (as the
	 * container's own user).
	 */
	public Exec exec(String sandboxId, String... command) {
		return exec(sandboxId, false, command);
	}

	private Exec exec(String sandboxId, boolean privileged, String... command) {
		var containerId = inspect(sandboxId).getId();
		var create = docker.execCreateCmd(containerId);
		if (privileged) {
			create.withPrivileged(true).withUser("0");
		}
		var execId = create.withCmd(command).withAttachStdout(true).withAttachStderr(true).exec().getId();
		var stdout = new ByteArrayOutputStream();
		var stderr = new ByteArrayOutputStream();
		try (var callback = docker.execStartCmd(execId).exec(new ResultCallback.Adapter<Frame>() {
			@Override
			public void onNext(Frame frame) {
				var target = frame.getStreamType() == StreamType.STDERR ? stderr : stdout;
				target.writeBytes(frame.getPayload());
			}
		})) {
			if (!callback.awaitCompletion(30, TimeUnit.SECONDS)) {
				throw new AssertionError("exec did not finish: " + String.join(" ", command));
			}
		}
		catch (Exception e) {
			throw new IllegalStateException(e);
		}
		var exitCode = docker.inspectExecCmd(execId).exec().getExitCodeLong();
		return new Exec(exitCode == null ? -1 : exitCode, stdout.toString(), stderr.toString());
	}

	/** What an exec printed and how it ended. */
	public record Exec(long exitCode, String stdout, String stderr) {
	}

}
