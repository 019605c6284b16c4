package dev.airlock.core;

import java.util.regex.Pattern;

/**
 * Which deployment this process belongs to, fixed at start-up: the configured id
 * ({@link DeploymentSettings}), or else the one the database made for itself.
 *
 * @param id the value of the {@code airlock.deployment} label on what this deployment
 * makes
 */
public record Deployment(String id) {

	/**
	 * Safe as a label value and inside a volume's name, which allows only these
	 * characters.
	 */
	private static final Pattern VALID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}");

	/**
	 * @throws IllegalArgumentException for an id that is not one (a configured one stops
	 * the start-up)
	 */
	public Deployment {
		if (!VALID.matcher(id).matches()) {
			throw new IllegalArgumentException("airlock.deployment.id must be 1 to 63 letters, digits, '.', '_' or"
					+ " '-', starting with a letter or digit; it is '" + id + "'");
		}
	}

}
