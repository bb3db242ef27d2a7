package io.cascadefarm.cascade.diffusion;

import ai.djl.ndarray.NDArray;

/**
 * Everything one sampling step computed, handed to a {@link SamplingObserver}. The arrays are freed
 * when the callback returns: copy what you keep.
 *
 * @param step 0-based step index
 * @param steps total steps of the run
 * @param from schedule values at the step's start point
 * @param modelInX the batched CFG model input {@code cat([x, x])}
 * @param modelInR the noise condition repeated for both halves
 * @param modelOut the model output (rows 0..B-1 conditional, B..2B-1 unconditional)
 * @param pred the guided epsilon
 * @param x0 the clean prediction {@code (x - pred*b)/a}
 * @param noise the DDPM noise drawn at this step
 * @param x the state after the step
 */
public record SamplerStep(
    int step,
    int steps,
    ScheduleStep from,
    NDArray modelInX,
    NDArray modelInR,
    NDArray modelOut,
    NDArray pred,
    NDArray x0,
    NDArray noise,
    NDArray x) {}
