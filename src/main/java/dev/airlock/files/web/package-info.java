/**
 * The HTTP side of the files module: controllers and their request and response bodies.
 */
@NullMarked
package dev.airlock.files.web;

import org.jspecify.annotations.NullMarked;
