package dev.airlock.exec;

/**
 * Counts every byte of one output stream and lets through only the first {@code cap}:
 * whatever a command prints, no more than the cap is ever held or sent.
 */
final class CappedStream {

	private final long cap;

	private long total;

	CappedStream(long cap) {
		this.cap = cap;
	}

	/** How many of {@code length} new bytes still fit under the cap. */
	int admit(int length) {
		var room = Math.max(0, cap - total);
		total += length;
		return (int) Math.min(room, length);
	}

	long total() {
		return total;
	}

	boolean truncated() {
		return total > cap;
	}

}
