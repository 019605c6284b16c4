/** The Docker Engine adapter: the only place that imports docker-java. */
@NullMarked
package dev.airlock.runtime.docker;

import org.jspecify.annotations.NullMarked;
