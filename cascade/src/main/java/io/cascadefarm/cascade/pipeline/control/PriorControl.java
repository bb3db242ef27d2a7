package io.cascadefarm.cascade.pipeline.control;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * What a ControlNet contributes to Stage C sampling: the projections for Stage C's {@code cnet}
 * argument (one entry per ResBlock call, null = none; B rows, the same tensors serve the
 * conditional and unconditional halves) and, for inpaint/outpaint, the start latent.
 *
 * @param cnet per-ResBlock-call projections (B, c, h, w) or null
 * @param xInit start latent at t = 1 (inpaint/outpaint), or null to start from plain noise
 */
public record PriorControl(List<NDArray> cnet, NDArray xInit) {}
