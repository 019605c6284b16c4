package dev.airlock.sandbox;

import dev.airlock.policy.PolicyView;

/**
 * A RUNNING sandbox being worked in, with the policy version it is pinned to: what exec
 * and files need.
 */
public record ActiveSandbox(String id, String tenant, PolicyView policy) {
}
