package dev.airlock.files;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's own folder of the spool: made private (0700, an unguessable name) under
 * the configured directory, which must belong to this process's user and be writable by
 * no one else; removed at shutdown. A process that died (a crash, a SIGKILL) cannot
 * remove its folder, so each start removes the folders whose owner is gone: each owner
 * holds a lock on a file in its folder for as long as it runs, and the system frees the
 * lock of a process that died, so a lock that can be taken is a dead owner's. Several
 * processes may share the directory.
 */
final class SpoolFolder implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(SpoolFolder.class);

	static final String PREFIX = "airlock-";

	private static final String OWNER_LOCK = ".owner";

	private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");

	/**
	 * The folders of this JVM (several Airlocks run in one in tests): never probed, as
	 * closing any channel of a file frees every lock this process holds on it.
	 */
	private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();

	private final Path path;

	private final FileChannel owner;

	private SpoolFolder(Path path, FileChannel owner) {
		this.path = path;
		this.owner = owner;
	}

	/**
	 * A new folder under {@code directory}, after removing the dead processes' ones; one
	 * start at a time sweeps (a lock on the directory's {@code .sweep} file), so that no
	 * folder is seen half made.
	 */
	static SpoolFolder create(Path directory) throws IOException {
		var posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
		var attributes = posix ? new FileAttribute<?>[] { PosixFilePermissions.asFileAttribute(PRIVATE) }
				: new FileAttribute<?>[0];
		Files.createDirectories(directory, attributes);
		return sweeping(directory, () -> {
			var folder = Files.createTempDirectory(directory, PREFIX, attributes);
			var owner = FileChannel.open(folder.resolve(OWNER_LOCK), StandardOpenOption.CREATE_NEW,
					StandardOpenOption.WRITE);
			owner.lock();
			LIVE.add(folder);
			var created = new SpoolFolder(folder, owner);
			try {
				if (posix) {
					checkPrivate(directory, folder);
				}
				removeDeadOnes(directory);
			}
			catch (IOException | RuntimeException e) {
				created.remove();
				throw e;
			}
			return created;
		});
	}

	private interface Step<T> {

		T run() throws IOException;

	}

	/** Runs {@code step} as the only one of all processes that use {@code directory}. */
	private static <T> T sweeping(Path directory, Step<T> step) throws IOException {
		synchronized (LIVE) {
			try (var sweep = FileChannel.open(directory.resolve(".sweep"), StandardOpenOption.CREATE,
					StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS); var held = sweep.lock()) {
				return step.run();
			}
		}
	}

	Path path() {
		return path;
	}

	/**
	 * Refuses a directory that another user owns or may write to: they could swap a spool
	 * file between its write and its read-back.
	 */
	private static void checkPrivate(Path directory, Path ours) throws IOException {
		var permissions = Files.getPosixFilePermissions(directory);
		if (!Files.getOwner(directory).equals(Files.getOwner(ours))
				|| permissions.contains(PosixFilePermission.GROUP_WRITE)
				|| permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
			throw new IllegalStateException("The upload spool directory " + directory + " (owner "
					+ Files.getOwner(directory).getName() + ", " + PosixFilePermissions.toString(permissions)
					+ ") must belong to Airlock's user and be writable by no one else (airlock.files.spool-directory)");
		}
	}

	private static void removeDeadOnes(Path directory) throws IOException {
		try (Stream<Path> entries = Files.list(directory)) {
			for (var folder : entries.filter(SpoolFolder::isSpoolFolder).toList()) {
				if (!LIVE.contains(folder) && ownerIsGone(folder)) {
					log.info("Removing the spool folder {} of a process that is gone", folder);
					removeTree(folder);
				}
			}
		}
	}

	private static boolean isSpoolFolder(Path entry) {
		return entry.getFileName().toString().startsWith(PREFIX) && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS);
	}

	/** No owner lock (a start that died before it took one) or one that can be taken. */
	private static boolean ownerIsGone(Path folder) throws IOException {
		var lock = folder.resolve(OWNER_LOCK);
		if (!Files.exists(lock)) {
			return true;
		}
		try (var channel = FileChannel.open(lock, StandardOpenOption.WRITE); var taken = channel.tryLock()) {
			return taken != null;
		}
	}

	private static void removeTree(Path folder) throws IOException {
		try (Stream<Path> tree = Files.walk(folder)) {
			for (var entry : tree.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(entry);
			}
		}
	}

	/**
	 * Removes the folder with whatever is still in it, then lets go of it; while no other
	 * start sweeps.
	 */
	@Override
	public void close() throws IOException {
		sweeping(path.getParent(), () -> {
			remove();
			return null;
		});
	}

	private void remove() throws IOException {
		try {
			removeTree(path);
		}
		finally {
			LIVE.remove(path);
			owner.close();
		}
	}

}
