/**
 * Airlock's side of the agent protocol (see {@code agent/PROTOCOL.md}): frames, one
 * multiplexed session per sandbox with flow control, and the calls made over it. Knows
 * nothing of how the bytes reach the agent.
 */
@NullMarked
package dev.airlock.runtime.agent;

import org.jspecify.annotations.NullMarked;
