/**
 * Enforcement: leases and idle timeouts, the watchdog, the engine's events, the
 * reconciler and the halt switch.
 */
package dev.airlock.enforcement;
