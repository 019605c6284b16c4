/** {@code /v1/tenants/{tenant}/quota}. */
@NullMarked
package dev.airlock.tenant.web;

import org.jspecify.annotations.NullMarked;
