/**
 * What enforcement tells the other modules: the events it publishes, and nothing else.
 */
@NamedInterface("events")
@NullMarked
package dev.airlock.enforcement.events;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.NamedInterface;
