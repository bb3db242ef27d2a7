/**
 * Measurement tools for {@code farm bench net} and {@code farm net engine-info}: engine facts, a
 * TF32 probe, process memory from /proc, libtorch profiler op counts and a live-tensor sampler.
 */
package io.cascadefarm.cascade.tools.bench;
