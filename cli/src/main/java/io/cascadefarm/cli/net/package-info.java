/**
 * {@code farm net}: runs parity fixtures, lists the keys each network declares, reports the DJL
 * engine, and benchmarks Stage C/B forwards ({@code farm bench net}).
 */
package io.cascadefarm.cli.net;
