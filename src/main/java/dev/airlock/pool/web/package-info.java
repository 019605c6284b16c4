/** The {@code /v1/pools} endpoints. */
@NullMarked
package dev.airlock.pool.web;

import org.jspecify.annotations.NullMarked;
