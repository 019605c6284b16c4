package dev.airlock.core;

import java.util.regex.Pattern;

/**
 * Takes the engine's host out of text a client will read. The container engine's and the
 * OCI runtime's error messages name their own files ({@code /var/lib/docker/overlay2/…},
 * {@code /run/containerd/…}) and 64-hex container and layer ids; none of that is the
 * client's business, and every problem's detail and every engine message passes through
 * here before a client sees it.
 */
public final class HostPaths {

	/** What a host path is replaced by. */
	public static final String HIDDEN_PATH = "<host path>";

	/** What a container or layer id is replaced by. */
	public static final String HIDDEN_ID = "<id>";

	/**
	 * A path (up to a space, a quote, a colon or a bracket) that is one of the engine's
	 * own: below its data and state folders, or through a layer store, whatever the data
	 * root is called.
	 */
	private static final Pattern HOST_PATH = Pattern.compile("(?:/[^\\s\"'`:,;()\\[\\]{}<>]*)?(?:"
			+ "/var/lib/(?:docker|containerd|containers)|/var/run/(?:docker|containerd|runc)"
			+ "|/run/(?:docker|containerd|runc|moby|user/\\d+/docker)|/(?:overlay2?|overlayfs|btrfs|zfs|aufs|vfs)"
			+ "/[0-9a-f]{12}|/io\\.containerd\\.)" + "[^\\s\"'`:,;()\\[\\]{}<>]*");

	/**
	 * 64 hex digits not given as a digest ({@code sha256:…}, as in an image reference).
	 */
	private static final Pattern HOST_ID = Pattern.compile("(?<![0-9a-fA-F:])[0-9a-f]{64}(?![0-9a-fA-F])");

	private HostPaths() {
	}

	/** {@code text} with every host path and container id hidden. */
	public static String hide(String text) {
		var paths = HOST_PATH.matcher(text).replaceAll(HIDDEN_PATH);
		return HOST_ID.matcher(paths).replaceAll(HIDDEN_ID);
	}

}
