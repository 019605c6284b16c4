/**
 * Who is calling: bearer API keys, tenants and roles, and the filter chain that writes
 * 401/403 as problems.
 */
package dev.airlock.security;
