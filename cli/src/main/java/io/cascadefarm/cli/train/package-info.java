/** {@code farm train}: training jobs from the command line. */
package io.cascadefarm.cli.train;
