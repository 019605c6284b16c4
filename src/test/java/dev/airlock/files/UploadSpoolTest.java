package dev.airlock.files;

import java.io.IOException;
import java.nio.file.Path;

import dev.airlock.core.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The spool on a disk that fills up before its budget does. */
class UploadSpoolTest {

	@TempDir
	Path disk;

	@Test
	void aFullDiskRefusesTheUploadLikeAFullBudget() throws Exception {
		// a disk of 1 MiB, under a budget of 8 MiB
		assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", disk.toString()) == 0,
				"mounting a tmpfs needs root");
		try {
			try (var spool = new UploadSpool(new FileSettings(disk.resolve("spool"), 8 << 20))) {
				try (var file = spool.open(-1); var out = file.output()) {
					var chunk = new byte[64 * 1024];
					assertThatThrownBy(() -> {
						for (int i = 0; i < 32; i++) {
							out.write(chunk);
						}
					}).isInstanceOf(SpoolFull.class)
						.satisfies(e -> assertThat(((SpoolFull) e).code()).isEqualTo(ErrorCode.STORAGE_FULL));
				}
				// its bytes came back: another upload fits
				try (var file = spool.open(-1); var out = file.output()) {
					out.write(new byte[512 * 1024]);
				}
			}
		}
		finally {
			run("umount", disk.toString());
		}
	}

	private static int run(String... command) throws IOException, InterruptedException {
		return new ProcessBuilder(command).inheritIO().start().waitFor();
	}

}
