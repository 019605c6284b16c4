package dev.airlock.core;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SandboxPathTest {

	@Test
	void parseFoldsDoubleSlashesDotsAndATrailingSlash() {
		assertThat(SandboxPath.parse("//workspace/./a//b/").value()).isEqualTo("/workspace/a/b");
		assertThat(SandboxPath.parse("/").value()).isEqualTo("/");
		assertThat(SandboxPath.parse("/./").value()).isEqualTo("/");
	}

	@Test
	void parseRefusesWhatCouldLeaveOrConfuseThePath() {
		assertThatThrownBy(() -> SandboxPath.parse("/workspace/../etc/passwd")).isInstanceOf(SandboxPath.Invalid.class)
			.hasMessageContaining("'..'");
		assertThatThrownBy(() -> SandboxPath.parse("/..")).isInstanceOf(SandboxPath.Invalid.class);
		assertThatThrownBy(() -> SandboxPath.parse("workspace/a")).isInstanceOf(SandboxPath.Invalid.class)
			.hasMessageContaining("absolute");
		assertThatThrownBy(() -> SandboxPath.parse("/a\0b")).isInstanceOf(SandboxPath.Invalid.class)
			.hasMessageContaining("NUL");
		assertThatThrownBy(() -> SandboxPath.parse("")).isInstanceOf(SandboxPath.Invalid.class);
		assertThatThrownBy(() -> SandboxPath.parse(null)).isInstanceOf(SandboxPath.Invalid.class);
		assertThatThrownBy(() -> SandboxPath.parse("/" + "a".repeat(SandboxPath.MAX_LENGTH)))
			.isInstanceOf(SandboxPath.Invalid.class)
			.hasMessageContaining("longer");
	}

	@Test
	void aDotDotInsideANameIsJustAName() {
		assertThat(SandboxPath.parse("/workspace/..a/b..").value()).isEqualTo("/workspace/..a/b..");
	}

	@ParameterizedTest
	@ValueSource(strings = { "/", "/workspace", "/workspace/a b/c", "/tmp/..x" })
	void normalPaths(String path) {
		assertThat(SandboxPath.isNormal(path)).isTrue();
		assertThat(new SandboxPath(path).value()).isEqualTo(path);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "relative", "/workspace/", "//workspace", "/a//b", "/a/./b", "/a/../b", "/a/.",
			"/a/..", "/a\0" })
	void notNormalPaths(String path) {
		assertThat(SandboxPath.isNormal(path)).isFalse();
		assertThatThrownBy(() -> new SandboxPath(path)).isInstanceOf(SandboxPath.Invalid.class);
	}

	@Test
	void belowIsStrictAndRespectsSegmentBoundaries() {
		var workspace = new SandboxPath("/workspace");
		assertThat(new SandboxPath("/workspace/a").isBelow(workspace)).isTrue();
		assertThat(new SandboxPath("/workspace").isBelow(workspace)).isFalse();
		assertThat(new SandboxPath("/workspace2/a").isBelow(workspace)).isFalse();
		assertThat(new SandboxPath("/anything").isBelow(new SandboxPath("/"))).isTrue();
		assertThat(new SandboxPath("/").isBelow(new SandboxPath("/"))).isFalse();
	}

	@Test
	void overlapsEitherWay() {
		var tmp = new SandboxPath("/tmp");
		assertThat(tmp.overlaps(new SandboxPath("/tmp"))).isTrue();
		assertThat(tmp.overlaps(new SandboxPath("/tmp/x"))).isTrue();
		assertThat(new SandboxPath("/tmp/x").overlaps(tmp)).isTrue();
		assertThat(tmp.overlaps(new SandboxPath("/tmpfoo"))).isFalse();
	}

	@Test
	void firstFolderHoldingPicksTheFolderAPathLiesBelow() {
		var roots = List.of(new SandboxPath("/workspace"), new SandboxPath("/tmp"));
		assertThat(new SandboxPath("/tmp/a/b").firstFolderHolding(roots)).contains(new SandboxPath("/tmp"));
		assertThat(new SandboxPath("/tmp").firstFolderHolding(roots)).isEmpty();
		assertThat(new SandboxPath("/etc/passwd").firstFolderHolding(roots)).isEmpty();
	}

	@Test
	void theKernelsFilesystemsAreRefusedAsAWorkdirWhateverTheDepth() {
		for (var workdir : List.of("/proc", "/proc/self/fd/7", "/proc/self/cwd", "/proc/1/root", "/sys",
				"/sys/fs/cgroup", "/dev", "/dev/shm", "//proc/./self/fd/3/")) {
			var errors = new ValidationFailed.Collector();
			Workdir.check(workdir, errors);
			assertThatThrownBy(errors::throwIfAny).as(workdir)
				.isInstanceOfSatisfying(ValidationFailed.class,
						e -> assertThat(e.violations()).extracting(FieldViolation::field).containsExactly("workdir"));
		}
		for (var workdir : List.of("/workspace", "/tmp", "/process", "/device", "/system/x", "/")) {
			var errors = new ValidationFailed.Collector();
			Workdir.check(workdir, errors);
			assertThat(errors.isEmpty()).as(workdir).isTrue();
		}
	}

	@Test
	void aNameLongerThanTheKernelTakesIsRefused() {
		assertThatThrownBy(() -> SandboxPath.parse("/workspace/" + "n".repeat(256)))
			.isInstanceOf(SandboxPath.Invalid.class)
			.hasMessageContaining("255 bytes");
		assertThatThrownBy(() -> SandboxPath.parse("/workspace/" + "é".repeat(128)))
			.isInstanceOf(SandboxPath.Invalid.class);
		assertThat(SandboxPath.isNormal("/workspace/" + "n".repeat(256))).isFalse();
		assertThat(SandboxPath.parse("/workspace/" + "n".repeat(255)).value()).endsWith("n");
		assertThat(SandboxPath.parse("/workspace/" + "é".repeat(127)).value()).endsWith("é");
	}

}
