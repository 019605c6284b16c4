/**
 * Airlock: sandboxes-as-a-service for AI agents. One package per module below this one.
 */
@NullMarked
package dev.airlock;

import org.jspecify.annotations.NullMarked;
