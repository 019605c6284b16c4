package dev.airlock.sandbox;

/** A RUNNING sandbox being worked in: what exec and files need to know of it. */
public record ActiveSandbox(String id, String tenant, String policy, int policyVersion) {
}
