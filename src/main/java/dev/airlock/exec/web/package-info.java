/**
 * The HTTP side of the exec module: controllers and their request and response bodies.
 */
@NullMarked
package dev.airlock.exec.web;

import org.jspecify.annotations.NullMarked;
