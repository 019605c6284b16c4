/** Ids, request limits and the RFC 9457 problem vocabulary every module speaks. */
package dev.airlock.core;
