/**
 * Sandboxes and their lifecycle: create a hardened container under a pinned policy
 * version, look at it, destroy it.
 */
package dev.airlock.sandbox;
