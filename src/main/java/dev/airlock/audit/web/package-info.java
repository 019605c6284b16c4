/**
 * The HTTP side of the audit module: controllers and their request and response bodies.
 */
@NullMarked
package dev.airlock.audit.web;

import org.jspecify.annotations.NullMarked;
