/** The Docker Engine adapter: the only place that imports docker-java. */
package dev.airlock.runtime.docker;
