/**
 * The tamper-evident audit log: every event, hash-chained, append-only; query, verify and
 * export.
 */
package dev.airlock.audit;
