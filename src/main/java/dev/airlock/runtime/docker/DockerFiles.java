package dev.airlock.runtime.docker;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import dev.airlock.core.ErrorCode;
import dev.airlock.runtime.ContainerFiles;
import dev.airlock.runtime.ContainerNotRunning;
import dev.airlock.runtime.FileContent;
import dev.airlock.runtime.FileEntry;
import dev.airlock.runtime.RuntimeError;
import dev.airlock.runtime.SandboxPathNotFound;
import dev.airlock.runtime.SandboxPathRefused;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Files in and out of sandboxes. Content moves through Docker's archive API as tar
 * streams, never whole in memory; listing and deleting run the tools busybox as the
 * sandbox user. Docker resolves every path, symlinks included, inside the container's own
 * filesystem.
 */
@Component
class DockerFiles implements ContainerFiles {

	private static final long GO_MODE_DIR = 1L << 31;

	private static final long GO_MODE_SYMLINK = 1L << 27;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final int MAX_LINK_HOPS = 8;

	private static final String LIST = """
			B=%s
			[ -e "$1" ] || [ -L "$1" ] || exit 2
			[ -d "$1" ] || exit 3
			cd -- "$1" || exit 4
			for f in * .[!.]* ..?*; do
			  { [ -e "$f" ] || [ -L "$f" ]; } || continue
			  $B stat -c '%%F|%%s|%%Y|%%n' -- "$f"
			done
			""".formatted(ToolsVolume.BUSYBOX);

	private static final String DELETE = """
			[ -e "$1" ] || [ -L "$1" ] || exit 2
			exec %s rm -rf -- "$1"
			""".formatted(ToolsVolume.BUSYBOX);

	private final DockerSettings settings;

	private final SandboxTools tools;

	DockerFiles(DockerSettings settings, SandboxTools tools) {
		this.settings = settings;
		this.tools = tools;
	}

	@Override
	public void writeFile(String sandboxId, String root, String path, InputStream content, long size, String user) {
		var container = DockerNames.container(sandboxId);
		var relative = Path.of(root).relativize(Path.of(path));
		var uid = Integer.parseInt(user.substring(0, user.indexOf(':')));
		var gid = Integer.parseInt(user.substring(user.indexOf(':') + 1));
		try (var connection = EngineConnection.open(settings)) {
			connection.send("PUT",
					"/containers/" + container + "/archive?noOverwriteDirNonDir=true&path=" + encode(root),
					Map.of("Content-Type", "application/x-tar", "Transfer-Encoding", "chunked"));
			var body = connection.chunkedBody();
			try (var tar = new TarArchiveOutputStream(new BufferedOutputStream(body, 64 * 1024))) {
				tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
				tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
				var now = Instant.now();
				// the parents, so they are created when missing
				for (int i = 1; i < relative.getNameCount(); i++) {
					var folder = new TarArchiveEntry(relative.subpath(0, i) + "/");
					folder.setMode(040755);
					folder.setIds(uid, gid);
					folder.setLastModifiedTime(FileTime.from(now));
					tar.putArchiveEntry(folder);
					tar.closeArchiveEntry();
				}
				var file = new TarArchiveEntry(relative.toString());
				file.setMode(0100644);
				file.setIds(uid, gid);
				file.setSize(size);
				file.setLastModifiedTime(FileTime.from(now));
				tar.putArchiveEntry(file);
				if (content.transferTo(tar) != size) {
					throw new IOException("the content was not " + size + " bytes long");
				}
				tar.closeArchiveEntry();
			}
			var response = connection.readResponse();
			if (response.status() != 200) {
				throw refusal(sandboxId, path, response.status(), connection.errorMessage(response));
			}
		}
		catch (IOException e) {
			throw DockerErrors.translate("write a file", new UncheckedIOException(e));
		}
	}

	@Override
	public FileContent readFile(String sandboxId, String path) {
		var container = DockerNames.container(sandboxId);
		var target = path;
		for (int hop = 0; hop <= MAX_LINK_HOPS; hop++) {
			EngineConnection connection = null;
			var handedOver = false;
			try {
				connection = EngineConnection.open(settings);
				connection.send("GET", "/containers/" + container + "/archive?path=" + encode(target), Map.of());
				var response = connection.readResponse();
				if (response.status() != 200) {
					throw refusal(sandboxId, path, response.status(), connection.errorMessage(response));
				}
				var stat = stat(response.headers().get("x-docker-container-path-stat"));
				if ((stat.mode() & GO_MODE_SYMLINK) != 0) {
					// Docker resolved the link inside the container: read its target
					target = stat.linkTarget();
					continue;
				}
				if ((stat.mode() & GO_MODE_DIR) != 0) {
					throw new SandboxPathRefused(ErrorCode.NOT_A_FILE, "'" + path + "' is a folder, not a file.");
				}
				var tar = new TarArchiveInputStream(connection.responseBody(response));
				var entry = tar.getNextEntry();
				if (entry == null || !entry.isFile()) {
					throw new SandboxPathRefused(ErrorCode.NOT_A_FILE, "'" + path + "' is not a regular file.");
				}
				var open = connection;
				handedOver = true; // closed with the content from now on
				return new FileContent() {
					@Override
					public long size() {
						return entry.getSize();
					}

					@Override
					public InputStream stream() {
						return tar;
					}

					@Override
					public void close() {
						open.close();
					}
				};
			}
			catch (IOException e) {
				throw DockerErrors.translate("read a file", new UncheckedIOException(e));
			}
			finally {
				if (!handedOver && connection != null) {
					connection.close(); // a link followed, a refusal, a failure
				}
			}
		}
		throw new SandboxPathRefused(ErrorCode.NOT_A_FILE,
				"'" + path + "' is a chain of more than " + MAX_LINK_HOPS + " symlinks.");
	}

	@Override
	public List<FileEntry> listFolder(String sandboxId, String path, String user) {
		var result = tools.run(sandboxId, user, ToolsVolume.BUSYBOX, "sh", "-c", LIST, "sh", path);
		switch ((int) result.exitCode()) {
			case 0 -> {
			}
			case 2 -> throw new SandboxPathNotFound(path);
			case 3 -> throw new SandboxPathRefused(ErrorCode.NOT_A_DIRECTORY, "'" + path + "' is not a folder.");
			case 4 -> throw new SandboxPathRefused(ErrorCode.PATH_NOT_ALLOWED,
					"The sandbox user may not open '" + path + "'.");
			default -> throw new RuntimeError("Listing '" + path + "' failed: " + result.stderr().trim(), null);
		}
		var entries = new ArrayList<FileEntry>();
		for (var line : result.stdout().split("\n")) {
			var parts = line.split("\\|", 4);
			if (parts.length < 4) {
				continue;
			}
			var name = parts[3];
			var full = path.endsWith("/") ? path + name : path + "/" + name;
			entries.add(new FileEntry(name, full, type(parts[0]), Long.parseLong(parts[1]),
					Instant.ofEpochSecond(Long.parseLong(parts[2]))));
		}
		return entries;
	}

	@Override
	public void delete(String sandboxId, String path, String user) {
		var result = tools.run(sandboxId, user, ToolsVolume.BUSYBOX, "sh", "-c", DELETE, "sh", path);
		if (result.exitCode() == 2) {
			throw new SandboxPathNotFound(path);
		}
		if (result.exitCode() != 0) {
			throw new SandboxPathRefused(ErrorCode.PATH_NOT_ALLOWED,
					"Could not delete '" + path + "': " + result.stderr().trim());
		}
	}

	private static RuntimeException refusal(String sandboxId, String path, int status, String message) {
		return switch (status) {
			case 404 -> message.contains("No such container") ? new ContainerNotRunning(sandboxId)
					: new SandboxPathNotFound(path);
			case 400, 403 ->
				new SandboxPathRefused(ErrorCode.PATH_NOT_ALLOWED, "Docker refused '" + path + "': " + message);
			// Our tar is well-formed: an extraction error comes from what stands at the
			// destination (a symlink where a folder should be, a file where a folder
			// should be).
			case 500 -> message.contains("no space left on device")
					? new SandboxPathRefused(ErrorCode.STORAGE_FULL, "No room for '" + path + "': the folder is full.")
					: message.contains("Error processing tar file")
							? new SandboxPathRefused(ErrorCode.PATH_NOT_ALLOWED,
									"Cannot write '" + path + "': " + message)
							: new RuntimeError("Docker failed on '" + path + "' (HTTP " + status + "): " + message,
									null);
			default -> new RuntimeError("Docker failed on '" + path + "' (HTTP " + status + "): " + message, null);
		};
	}

	private static FileEntry.Type type(String statType) {
		return switch (statType) {
			case "regular file", "regular empty file" -> FileEntry.Type.FILE;
			case "directory" -> FileEntry.Type.DIRECTORY;
			case "symbolic link" -> FileEntry.Type.SYMLINK;
			default -> FileEntry.Type.OTHER;
		};
	}

	/**
	 * Docker's X-Docker-Container-Path-Stat: base64 JSON {name, size, mode, mtime,
	 * linkTarget}.
	 */
	private static PathStat stat(String header) {
		if (header == null) {
			return new PathStat(0, "");
		}
		var json = JSON.readTree(Base64.getDecoder().decode(header));
		return new PathStat(json.path("mode").asLong(), json.path("linkTarget").asString(""));
	}

	private static String encode(String path) {
		return URLEncoder.encode(path, StandardCharsets.UTF_8);
	}

	private record PathStat(long mode, String linkTarget) {
	}

}
