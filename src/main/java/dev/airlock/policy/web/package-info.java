/**
 * The HTTP side of the policy module: controllers and their request and response bodies.
 */
@NullMarked
package dev.airlock.policy.web;

import org.jspecify.annotations.NullMarked;
