package dev.airlock.core;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;

class HostPathsTest {

	private static final String ID = "133b887d924da2d6d55a3b8e2223b0b5a3726e458f96703ba546042b21b0f619";

	/** Engine and runtime messages as dockerd, containerd and runc word them. */
	private static final List<String> ENGINE_TEXT = List.of(
			"lstat /var/lib/docker/overlay2/" + ID + "/merged/bin/busybox/x: not a directory",
			"mkdir /data/engine/overlay2/" + ID + "/merged/workspace/a: too many levels of symbolic links",
			"open /var/lib/docker/containers/" + ID + "/hostname: no such file or directory",
			"failed to create task: /run/containerd/io.containerd.runtime.v2.task/moby/" + ID + "/log.json: busy",
			"stat /var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/42/fs/etc: permission denied",
			"cannot kill container: " + ID + ": container is not running",
			"error mounting \"/var/run/docker/netns/abc\" to rootfs at \"/workspace\": EINVAL");

	@Test
	void engineTextLosesItsHostPathsAndIdsButKeepsTheSandboxsPaths() {
		for (var text : ENGINE_TEXT) {
			var hidden = HostPaths.hide(text);
			assertThat(hidden).as(text)
				.doesNotContain("/var/lib", "/run/", "overlay2/", "io.containerd", ID.substring(0, 12), "/data/engine");
		}
		assertThat(HostPaths.hide(ENGINE_TEXT.get(0))).isEqualTo("lstat <host path>: not a directory");
		assertThat(HostPaths.hide(ENGINE_TEXT.get(6))).endsWith("to rootfs at \"/workspace\": EINVAL");
		assertThat(HostPaths.hide("Nothing exists at '/workspace/merged/x' in the sandbox."))
			.isEqualTo("Nothing exists at '/workspace/merged/x' in the sandbox.");
		assertThat(HostPaths.hide("image busybox@sha256:" + ID + " is not allowed")).contains(ID);
	}

	/** Paths of engines with another data root: custom, rootless. */
	private static final List<String> ELSEWHERE = List.of(
			"error mounting \"/srv/docker/volumes/airlock-sbx_abc-workspace/_data\" to rootfs at \"/workspace\"",
			"open /home/u/.local/share/docker/volumes/x/_data: permission denied",
			"readlink /data/docker/overlay2/l/ABCDEFGHIJKLMNOPQRSTUVWXYZ: no such file or directory",
			"mkdir /mnt/docker-data/tmp/docker-builder123: no space left on device",
			"open /data/docker/containers/" + ID + "/hostname: no such file or directory",
			"stat /data/docker/image/overlay2/layerdb/sha256/x: not found");

	@AfterEach
	void forgetTheEngineRoot() {
		HostPaths.engineRoot(null);
	}

	@Test
	void theLayoutOfAnyDataRootIsHidden() {
		for (var text : ELSEWHERE) {
			assertThat(HostPaths.hide(text)).as(text)
				.doesNotContain("/srv", "/home", "/data", "/mnt", "docker", "_data", ID.substring(0, 12))
				.contains(HostPaths.HIDDEN_PATH);
		}
		assertThat(HostPaths.hide(ELSEWHERE.get(0))).endsWith("to rootfs at \"/workspace\"");
		assertThat(HostPaths.hide("Nothing exists at '/workspace/volumes/x' in the sandbox."))
			.isEqualTo("Nothing exists at '/workspace/volumes/x' in the sandbox.");
	}

	@Test
	void theEnginesOwnDataRootIsHiddenWhereverItIs() {
		var text = "open /opt/engine-store/network/files/local-kv.db: device busy, /opt/engine-store-2 stays";
		assertThat(HostPaths.hide(text)).contains("/opt/engine-store/network");

		HostPaths.engineRoot("/opt/engine-store/");

		assertThat(HostPaths.hide(text)).isEqualTo("open <host path>: device busy, /opt/engine-store-2 stays");
		assertThat(HostPaths.hide("mkdir /workspace/opt/engine-store/x: denied"))
			.isEqualTo("mkdir /workspace/opt/engine-store/x: denied");
	}

	@Test
	void noProblemDetailEverNamesTheEnginesHost() {
		for (var text : ENGINE_TEXT) {
			var problem = Problems.of(ErrorCode.RUNTIME_ERROR, HttpStatus.BAD_GATEWAY, "Docker failed: " + text);
			assertThat(problem.getDetail()).as(text).doesNotContain("/var/lib", "overlay2/", ID.substring(0, 12));
		}
	}

}
