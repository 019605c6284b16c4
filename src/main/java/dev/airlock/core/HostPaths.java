package dev.airlock.core;

import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Takes the engine's host out of text a client will read. The container engine's and the
 * OCI runtime's error messages name their own files ({@code /var/lib/docker/overlay2/…},
 * {@code /run/containerd/…}) and 64-hex container and layer ids; none of that is the
 * client's business, and every problem's detail and every engine message passes through
 * here before a client sees it. Besides the usual places and the layouts every data root
 * has ({@code …/volumes/<name>/_data}, {@code …/containers/<id>}, {@code …/overlay2/…}),
 * the engine's own data root, learnt from it at start, is hidden wherever it is.
 */
public final class HostPaths {

	/** What a host path is replaced by. */
	public static final String HIDDEN_PATH = "<host path>";

	/** What a container or layer id is replaced by. */
	public static final String HIDDEN_ID = "<id>";

	/** A character of a path in a message: not a space, a quote, a colon or a bracket. */
	private static final String PATH_CHAR = "[^\\s\"'`:,;()\\[\\]{}<>]";

	/**
	 * A path that is one of the engine's own: below its data and state folders, or
	 * through a layer store, a volume's data or a container's folder, whatever the data
	 * root is called.
	 */
	private static final Pattern HOST_PATH = Pattern.compile("(?:/" + PATH_CHAR + "*)?(?:"
			+ "/var/lib/(?:docker|containerd|containers)|/var/run/(?:docker|containerd|runc)"
			+ "|/run/(?:docker|containerd|runc|moby|user/\\d+/docker)|/(?:overlay2?|overlayfs|btrfs|zfs|aufs|vfs)"
			+ "/(?:[0-9a-f]{12}|l/[0-9A-Z]{12})|/io\\.containerd\\.|/\\.local/share/docker/|/volumes/[^/\\s\"']+/_data"
			+ "|/containers/[0-9a-f]{12}|/image/(?:overlay2?|overlayfs|btrfs|zfs|aufs|vfs)/|/tmp/docker-)" + PATH_CHAR
			+ "*");

	/**
	 * 64 hex digits not given as a digest ({@code sha256:…}, as in an image reference).
	 */
	private static final Pattern HOST_ID = Pattern.compile("(?<![0-9a-fA-F:])[0-9a-f]{64}(?![0-9a-fA-F])");

	/** The engine's data root ({@code DockerRootDir}) and the rest of a path below it. */
	private static volatile @Nullable Pattern engineRoot;

	private HostPaths() {
	}

	/**
	 * Hides, from now on, every path below the engine's data root too (its
	 * {@code DockerRootDir}, wherever it was put). A root of {@code /} or none is
	 * ignored.
	 */
	public static void engineRoot(@Nullable String root) {
		var trimmed = root == null ? "" : root.replaceAll("/+$", "");
		engineRoot = trimmed.isEmpty() ? null : Pattern.compile("(?<![^\\s\"'`:,;()\\[\\]{}<>=])"
				+ Pattern.quote(trimmed) + "(?=/|(?!" + PATH_CHAR + "))" + PATH_CHAR + "*");
	}

	/** {@code text} with every host path and container id hidden. */
	public static String hide(String text) {
		var root = engineRoot;
		var rooted = root == null ? text : root.matcher(text).replaceAll(HIDDEN_PATH);
		var paths = HOST_PATH.matcher(rooted).replaceAll(HIDDEN_PATH);
		return HOST_ID.matcher(paths).replaceAll(HIDDEN_ID);
	}

}
