/**
 * The container runtime port: starts, inspects and removes sandbox containers; speaks
 * only JDK and its own types.
 */
package dev.airlock.runtime;
