/**
 * The HTTP side of the security module: controllers and their request and response
 * bodies.
 */
@NullMarked
package dev.airlock.security.web;

import org.jspecify.annotations.NullMarked;
