package dev.airlock.runtime;

import java.time.Duration;

/**
 * How a command ended.
 *
 * @param exitCode its exit code; 137 when it was killed for its timeout
 * @param timedOut whether it outlived its timeout and was killed
 * @param duration from start to end
 */
public record ExecOutcome(long exitCode, boolean timedOut, Duration duration) {
}
