package dev.airlock;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;

/**
 * The JVM heap's peak use since the last reset: shows whether a large stream went through
 * memory whole.
 */
public final class HeapPeak {

	private HeapPeak() {
	}

	/** Collects garbage, resets the peaks and answers the heap in use now. */
	public static long reset() {
		System.gc();
		long used = 0;
		for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
			if (pool.getType() == MemoryType.HEAP) {
				pool.resetPeakUsage();
				used += pool.getUsage().getUsed();
			}
		}
		return used;
	}

	/** The sum of the heap pools' peaks since {@link #reset()}. */
	public static long peak() {
		long peak = 0;
		for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
			if (pool.getType() == MemoryType.HEAP) {
				peak += pool.getPeakUsage().getUsed();
			}
		}
		return peak;
	}

}
