/**
 * The HTTP side of the sandbox module: controllers and their request and response bodies.
 */
@NullMarked
package dev.airlock.sandbox.web;

import org.jspecify.annotations.NullMarked;
