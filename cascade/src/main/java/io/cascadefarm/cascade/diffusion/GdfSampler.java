package io.cascadefarm.cascade.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;

/**
 * The gdf sampling loop ({@code GDF.sample} with {@code DDPMSampler} or {@code DDIMSampler},
 * official gdf/__init__.py and gdf/samplers.py): for each step one model call on {@code cat([x,
 * x])} with {@code cat([cond, uncond])}, CFG with the settings' rescale {@code cfg_rho} (none at
 * 0), {@code x0 = (x - pred*b)/a}, then the DDIM update with the settings' eta (1 = DDPM) and fresh
 * noise, which is drawn at every step as the official code draws it (times 0 for DDIM), so that a
 * torch-compatible noise stream stays in step with the official one. Intermediates of each step
 * live in a sub-manager that is closed when the step ends.
 *
 * <p>At a guidance scale {@code cfg <= 1} ({@link #guides}) the model runs on the conditional rows
 * only, half the batch, as diffusers' Stable Cascade pipelines do ({@code
 * do_classifier_free_guidance = guidance_scale > 1}). At exactly 1 this equals gdf's two-pass
 * result up to its {@code 1e-9} rescale epsilon (the lerp returns the conditional prediction bit
 * for bit, and the rescale then multiplies it by {@code std / (std + 1e-9)}); below 1 it is
 * diffusers' meaning of "no guidance", not gdf's extrapolation towards the unconditional
 * prediction.
 */
public final class GdfSampler {
  private final DiffusionModel model;

  public GdfSampler(DiffusionModel model) {
    this.model = model;
  }

  /**
   * Runs the sampler.
   *
   * @param manager owns the returned arrays
   * @param cond conditional inputs, each with B rows (key order is kept)
   * @param uncond unconditional inputs with the same keys
   * @param shape latent shape [B, C, H, W]
   * @param settings steps, cfg, shift, t_start
   * @param xInit the starting latent, or null to draw it from {@code noise}
   * @param noise initial and per-step noise
   * @param observer cancellation and per-step callback
   * @throws CancellationException if the observer cancels (checked before every step)
   */
  public SamplingResult sample(
      NDManager manager,
      Map<String, NDArray> cond,
      Map<String, NDArray> uncond,
      Shape shape,
      SamplerSettings settings,
      NDArray xInit,
      NoiseSource noise,
      SamplingObserver observer) {
    int rows = Math.toIntExact(shape.get(0));
    return sample(manager, cond, uncond, shape, settings, xInit, noise, observer, new int[] {rows});
  }

  /**
   * As {@link #sample(NDManager, Map, Map, Shape, SamplerSettings, NDArray, NoiseSource,
   * SamplingObserver)}, with the CFG rescale statistics taken per guidance group: {@code groups}
   * gives the row counts of consecutive requests (summing to B), so batching requests together
   * gives each the result it would get alone.
   */
  public SamplingResult sample(
      NDManager manager,
      Map<String, NDArray> cond,
      Map<String, NDArray> uncond,
      Shape shape,
      SamplerSettings settings,
      NDArray xInit,
      NoiseSource noise,
      SamplingObserver observer,
      int[] groups) {
    if (Arrays.stream(groups).sum() != shape.get(0)) {
      throw new IllegalArgumentException(
          "guidance groups " + Arrays.toString(groups) + " do not sum to batch " + shape);
    }
    SamplingSchedule schedule = SamplingSchedule.of(settings);
    try (NDManager run = manager.newSubManager()) {
      Map<String, NDArray> inputs =
          guides(settings.cfg()) ? concatConditions(run, cond, uncond) : cond;
      NDArray x = xInit == null ? noise.initial(run, shape) : xInit.duplicate();
      x.attach(run);
      NDArray x0 = null;
      for (int i = 0; i < schedule.steps(); i++) {
        if (observer.isCancelled()) {
          throw new CancellationException("sampling cancelled before step " + i);
        }
        NDArray[] next;
        try (NDManager step = run.newSubManager()) {
          x.tempAttach(step);
          new NDList(inputs.values().toArray(new NDArray[0])).tempAttach(step);
          next = step(step, schedule, settings, groups, i, x, inputs, noise, observer);
          next[0].attach(run);
          next[1].attach(run);
        }
        x.close();
        if (x0 != null) {
          x0.close();
        }
        x0 = next[0];
        x = next[1];
      }
      x0.attach(manager);
      x.attach(manager);
      return new SamplingResult(x0, x);
    }
  }

  private NDArray[] step(
      NDManager step,
      SamplingSchedule schedule,
      SamplerSettings settings,
      int[] groups,
      int i,
      NDArray x,
      Map<String, NDArray> inputs,
      NoiseSource noise,
      SamplingObserver observer) {
    double cfg = settings.cfg();
    ScheduleStep from = schedule.point(i);
    long rows = x.getShape().get(0);
    boolean guided = guides(cfg);
    NDArray modelInX = guided ? NDArrays.concat(new NDList(x, x)) : x;
    NDArray modelInR = step.full(new Shape(guided ? 2 * rows : rows), from.r());
    NDArray modelOut = model.predict(modelInX, modelInR, inputs);
    modelOut.attach(step);
    NDArray pred =
        guided ? GroupedGuidance.apply(modelOut, cfg, settings.cfgRho(), groups) : modelOut;
    pred.attach(step);
    NDArray x0 = x.sub(pred.mul(from.b())).div(from.a());
    DdpmCoefficients c = schedule.ddpm(i);
    NDArray eps = noise.step(step, x.getShape(), i);
    NDArray next = x0.mul(c.aNext()).add(pred.mul(c.epsScale())).add(eps.mul(c.sigma()));
    observer.onStep(
        new SamplerStep(
            i, schedule.steps(), from, modelInX, modelInR, modelOut, pred, x0, eps, next));
    return new NDArray[] {x0, next};
  }

  /** Whether a guidance scale needs the unconditional half: {@code cfg > 1}. */
  public static boolean guides(double cfg) {
    return cfg > 1;
  }

  private static Map<String, NDArray> concatConditions(
      NDManager manager, Map<String, NDArray> cond, Map<String, NDArray> uncond) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : cond.entrySet()) {
      NDArray u = uncond.get(e.getKey());
      if (u == null) {
        throw new IllegalArgumentException("unconditional input '" + e.getKey() + "' is missing");
      }
      NDArray both = NDArrays.concat(new NDList(e.getValue(), u));
      both.attach(manager);
      out.put(e.getKey(), both);
    }
    return out;
  }
}
