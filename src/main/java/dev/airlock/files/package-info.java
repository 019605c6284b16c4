/**
 * Moving files in and out of sandboxes: path rules first, streaming both ways, upload
 * caps from the policy.
 */
package dev.airlock.files;
