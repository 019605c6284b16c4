/**
 * Versioned sandbox policies and the small admission rules that allow or reject a sandbox
 * under them.
 */
package dev.airlock.policy;
