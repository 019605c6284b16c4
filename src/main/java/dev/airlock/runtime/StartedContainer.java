package dev.airlock.runtime;

/** A sandbox container that is running. */
public record StartedContainer(String containerId) {
}
