/** Tests of the {@code farm} command line as a whole (parsing, errors, exit codes). */
package io.cascadefarm.cli;
