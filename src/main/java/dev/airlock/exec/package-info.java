/**
 * Running commands inside sandboxes: argv, stdin with end-of-file, timeouts that kill the
 * whole tree, capped output.
 */
package dev.airlock.exec;
