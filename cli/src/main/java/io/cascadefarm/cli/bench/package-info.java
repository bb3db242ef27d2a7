/** Benchmarks of the farm itself (not of the networks): the farm's own overhead per job. */
package io.cascadefarm.cli.bench;
