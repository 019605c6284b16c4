/**
 * The HTTP side of the egress module: the listing of a sandbox's egress decisions.
 */
@NullMarked
package dev.airlock.egress.web;

import org.jspecify.annotations.NullMarked;
