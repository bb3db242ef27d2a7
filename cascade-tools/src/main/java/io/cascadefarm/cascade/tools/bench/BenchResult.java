package io.cascadefarm.cascade.tools.bench;

/**
 * Measurements of one {@link BenchCase}.
 *
 * @param loadMillis time to generate and bind the random weights
 * @param medianMillis median wall time of one forward (after one warm-up forward)
 * @param minMillis fastest forward
 * @param ops every ATen call recorded by the libtorch profiler in one forward (nested included)
 * @param topLevelOps ATen calls issued by the Java code in one forward
 * @param allocatedBytes bytes of tensors created during one forward (profiler)
 * @param peakLiveArrays most NDArrays alive at once during a forward (sampled, inputs included)
 * @param distinctArrays distinct NDArrays seen by the sampler during that forward (lower bound)
 * @param liveAfter NDArrays still alive under the forward's manager after it returned and its scope
 *     closed (0 = nothing leaked)
 * @param peakRss VmHWM during the case (weights included), bytes
 * @param faultsPerForward minor page faults per timed forward (allocator churn shows up here)
 * @param heldBytes RSS after the timed forwards minus RSS before the first forward (weights
 *     loaded): native memory the process keeps between forwards
 */
public record BenchResult(
    BenchCase benchCase,
    long parameters,
    long loadMillis,
    double medianMillis,
    double minMillis,
    int ops,
    int topLevelOps,
    long allocatedBytes,
    int peakLiveArrays,
    int distinctArrays,
    int liveAfter,
    long peakRss,
    long faultsPerForward,
    long heldBytes) {}
