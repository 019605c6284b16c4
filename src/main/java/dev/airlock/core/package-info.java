/** Ids, request limits and the RFC 9457 problem vocabulary every module speaks. */
@ApplicationModule(allowedDependencies = {})
@NullMarked
package dev.airlock.core;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
