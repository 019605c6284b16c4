/**
 * The HTTP side of the enforcement module: controllers and their request and response
 * bodies.
 */
@NullMarked
package dev.airlock.enforcement.web;

import org.jspecify.annotations.NullMarked;
