/**
 * Farm processes started from the command line: {@code farm standalone} (embedded services,
 * dispatcher and in-process workers in one JVM), {@code farm dispatcher} and {@code farm worker}.
 */
package io.cascadefarm.cli.farm;
