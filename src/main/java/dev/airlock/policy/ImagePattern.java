package dev.airlock.policy;

import java.util.regex.Pattern;

/**
 * A glob over image references: {@code *} matches any run of characters (slashes
 * included), {@code ?} one. References without a tag or digest are matched as
 * {@code :latest}, as Docker would pull them.
 */
record ImagePattern(String glob, Pattern regex) {

	static ImagePattern of(String glob) {
		var regex = new StringBuilder();
		for (char c : glob.toCharArray()) {
			switch (c) {
				case '*' -> regex.append(".*");
				case '?' -> regex.append('.');
				default -> regex.append(Pattern.quote(String.valueOf(c)));
			}
		}
		return new ImagePattern(glob, Pattern.compile(regex.toString()));
	}

	boolean matches(String image) {
		return regex.matcher(normalise(image)).matches();
	}

	/**
	 * {@code busybox} becomes {@code busybox:latest}; a tag or digest is kept as it is.
	 */
	static String normalise(String image) {
		var lastSlash = image.lastIndexOf('/');
		var lastPart = image.substring(lastSlash + 1);
		return lastPart.contains(":") || lastPart.contains("@") ? image : image + ":latest";
	}
}
