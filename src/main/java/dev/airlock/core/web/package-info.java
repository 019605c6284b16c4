/**
 * The HTTP side of the core module: controllers and their request and response bodies.
 */
@NullMarked
package dev.airlock.core.web;

import org.jspecify.annotations.NullMarked;
