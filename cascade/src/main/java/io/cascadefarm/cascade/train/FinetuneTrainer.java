package io.cascadefarm.cascade.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.model.ImageLatentEncoder;
import io.cascadefarm.cascade.net.clip.ClipImageEncoder;
import io.cascadefarm.cascade.net.clip.ClipTextEncoder;
import io.cascadefarm.cascade.net.clip.TextConditioning;
import io.cascadefarm.cascade.net.stagea.StageA;
import io.cascadefarm.cascade.net.stageb.StageB;
import io.cascadefarm.cascade.net.stagec.StageC;
import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.Parameter;
import io.cascadefarm.cascade.nn.Resample;
import io.cascadefarm.cascade.nn.WeightBinder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Full fine-tuning of Stage C ({@code train/train_c.py}) or Stage B ({@code train/train_b.py}) on
 * the port. The generator is a float32 copy of the base network whose every parameter is trained;
 * conditions are computed without gradients:
 *
 * <ul>
 *   <li>Stage C: caption (dropped to "" with p 0.05) through CLIP-G (hidden states and pooled), a
 *       real CLIP image embedding for 10 % of rows (zeros otherwise); latents {@code
 *       effnet(image)}; epsilon ~ N(0, 1).
 *   <li>Stage B: the pooled caption embedding (dropout 0.05); {@code effnet} of the image
 *       nearest-resized by a factor {@code f ~ U[0.5, 1)} to multiples of 32, for 90 % of rows
 *       (zeros otherwise); latents {@code StageA.encode(image)}; epsilon with the official pyramid
 *       noise (levels whose size is within [1, 16], weights 0.75^i, renormalised; the official code
 *       takes both sides of a level from the height, and so does this).
 * </ul>
 *
 * Then the same GDF loss, {@code clip_grad_norm_(1.0)} over the generator's parameters, AdamW with
 * the warm-up schedule, and an EMA copy when configured ({@code ema_iters}, {@code ema_beta},
 * {@code ema_start_iters}: every {@code ema_iters}-th iteration {@code ema = ema * beta + w * (1 -
 * beta)}, with beta 0 until {@code ema_start_iters}). Dropout is not applied (see the parity
 * README: the official generator trains with dropout 0.1).
 */
public final class FinetuneTrainer implements AutoCloseable, TrainerState {
  /** Which stage is trained. */
  public enum Stage {
    C,
    B
  }

  /**
   * Networks: the base generator ({@link StageC} or {@link StageB}) and the frozen encoders; {@code
   * image} may be null for Stage B, {@code stageA} for Stage C.
   */
  public record Networks(
      Module generator,
      ClipTextEncoder text,
      ClipImageEncoder image,
      ImageLatentEncoder effnet,
      StageA stageA) {}

  /** EMA settings (null in {@link Settings} = no EMA copy). */
  public record Ema(int iters, double beta, long startIters) {}

  /** Hyper-parameters (official names). */
  public record Settings(
      Stage stage,
      double lr,
      int warmupUpdates,
      int gradAccumSteps,
      long updates,
      boolean adaptiveLossWeight,
      Ema ema) {}

  /** One training batch: RGB images (B, 3, H, W) in [0, 1] and captions. */
  public record Batch(NDArray images, List<String> captions) {}

  /** What one iteration did (see {@link LoraTrainer.Step}). */
  public record Step(
      long iteration,
      boolean update,
      long updates,
      float loss,
      float lossAdjusted,
      float gradNorm,
      double lr) {}

  /** Extra random draws of Stage B's conditions. */
  public interface StageBRandomness extends TrainingRandomness {
    /** {@code np.random.uniform(0.5, 1)}: the effnet downscale factor. */
    double effnetFactor();

    /** {@code np.random.rand(B)}: rows whose effnet is kept ({@code <= 0.9}). */
    double[] effnetUniforms(int batch);

    /**
     * Independent draws per iteration, as {@link TrainingRandomness#seeded}, with the extra Stage B
     * draws from a second stream of the same seed and iteration.
     */
    static StageBRandomness seeded(long seed, long iteration) {
      TrainingRandomness common = TrainingRandomness.seeded(seed, iteration);
      java.util.SplittableRandom extra =
          new java.util.SplittableRandom(~(seed * 0x9E3779B97F4A7C15L + iteration));
      return new StageBRandomness() {
        @Override
        public double[] captionUniforms(int batch) {
          return common.captionUniforms(batch);
        }

        @Override
        public double[] imageUniforms(int batch) {
          return common.imageUniforms(batch);
        }

        @Override
        public float[] times(int batch) {
          return common.times(batch);
        }

        @Override
        public float[] normal(int n) {
          return common.normal(n);
        }

        @Override
        public double effnetFactor() {
          return 0.5 + 0.5 * extra.nextDouble();
        }

        @Override
        public double[] effnetUniforms(int batch) {
          return extra.doubles(batch).toArray();
        }
      };
    }
  }

  private final Settings settings;
  private final NDManager manager;
  private final Module net;
  private final Networks nets;
  private final Map<String, Trainable> params = new LinkedHashMap<>();
  private final Map<String, NDArray> ema = new LinkedHashMap<>();
  private final AdamW optimizer;
  private final WarmupSchedule schedule;
  private LossWeight lossWeight;
  private long iteration;
  private long updates;

  private FinetuneTrainer(Settings settings, NDManager manager, Module net, Networks nets) {
    this.settings = settings;
    this.manager = manager;
    this.net = net;
    this.nets = nets;
    net.namedParameters()
        .forEach(
            (k, p) -> {
              if (!p.isBuffer()) {
                NDArray copy = p.array().duplicate();
                copy.attach(manager);
                params.put(k, new Trainable(k, copy));
                p.set(params.get(k).value());
              }
            });
    if (settings.ema() != null) {
      net.namedParameters()
          .forEach(
              (k, p) -> {
                NDArray copy = p.array().duplicate();
                copy.attach(manager);
                ema.put(k, copy);
              });
    }
    this.optimizer = new AdamW(manager);
    this.schedule = new WarmupSchedule(settings.lr(), settings.warmupUpdates());
    this.lossWeight = settings.adaptiveLossWeight() ? new AdaptiveLossWeight() : LossWeight.p2();
  }

  /**
   * A trainer on a float32 copy of {@code nets.generator()} (trainer state under {@code parent}).
   */
  public static FinetuneTrainer create(Networks nets, Settings settings, NDManager parent) {
    NDManager manager = parent.newSubManager();
    try {
      Module net =
          settings.stage() == Stage.C
              ? new StageC(((StageC) nets.generator()).config())
              : new StageB(((StageB) nets.generator()).config());
      WeightBinder.bind(net, new Fp32Weights(nets.generator()), manager);
      return new FinetuneTrainer(settings, manager, net, nets);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** Trained parameters in {@code generator.parameters()} order. */
  public List<Trainable> parameters() {
    return List.copyOf(params.values());
  }

  /** The EMA weights (parameters and buffers), empty without EMA. */
  public Map<String, NDArray> ema() {
    return ema;
  }

  /** The trained network (its parameters are the trainables' current values). */
  public Module network() {
    return net;
  }

  public long updates() {
    return updates;
  }

  public long iteration() {
    return iteration;
  }

  public Settings settings() {
    return settings;
  }

  /** Total iterations of the run: {@code updates * grad_accum_steps}. */
  public long maxIterations() {
    return settings.updates() * settings.gradAccumSteps();
  }

  /** Sets the counters after restoring weights and optimizer state (resume). */
  public void position(long iteration, long updates) {
    this.iteration = iteration;
    this.updates = updates;
  }

  public LossWeight lossWeight() {
    return lossWeight;
  }

  /** Replaces the loss weight (resume of the adaptive buckets). */
  public void lossWeight(LossWeight w) {
    this.lossWeight = w;
  }

  /** Replaces trained parameter {@code name}'s value (resume) in the trainer and the network. */
  public void restore(String name, NDArray value) {
    Trainable t = params.get(name);
    if (t == null) {
      throw new IllegalArgumentException("no trained parameter " + name);
    }
    t.replace(value);
    net.namedParameters().get(name).set(t.value());
  }

  /** Replaces the EMA copy of {@code name} (resume); the array is copied into the trainer. */
  public void restoreEma(String name, NDArray value) {
    NDArray old = ema.get(name);
    if (old == null) {
      throw new IllegalArgumentException("no EMA entry " + name);
    }
    NDArray copy = value.duplicate();
    copy.attach(manager);
    ema.put(name, copy);
    old.close();
  }

  /**
   * The weights to publish, every key of the network (parameters and buffers) under its official
   * name: the EMA copy when EMA is on (as the official trainers keep {@code generator_ema}), else
   * the trained weights.
   */
  public Map<String, NDArray> outputWeights() {
    Map<String, NDArray> out = new LinkedHashMap<>();
    net.namedParameters()
        .forEach((k, p) -> out.put(k, settings.ema() != null ? ema.get(k) : p.array()));
    return out;
  }

  public AdamW optimizer() {
    return optimizer;
  }

  /** Runs iteration {@code iteration() + 1}. */
  public Step iterate(Batch batch, TrainingRandomness random) {
    long i = iteration + 1;
    long maxIters = maxIterations();
    boolean update = i % settings.gradAccumSteps() == 0 || i == maxIters;
    int b = batch.captions().size();
    float loss;
    float adjusted;
    try (NDManager m = manager.newSubManager()) {
      NDArray images = batch.images();
      Map<String, NDArray> cond = new LinkedHashMap<>();
      NDArray x0;
      NDArray eps;
      if (settings.stage() == Stage.C) {
        double[] capU = random.captionUniforms(b);
        double[] imgU = random.imageUniforms(b);
        TextConditioning tc = nets.text().encode(captions(batch, capU), m);
        cond.put("clip_text", tc.tokens());
        cond.put("clip_text_pooled", tc.pooled());
        cond.put("clip_img", clipImages(images, imgU, m));
        x0 = nets.effnet().encode(images);
        x0.attach(m);
        eps = m.create(random.normal(Math.toIntExact(x0.size())), x0.getShape());
      } else {
        StageBRandomness rb = (StageBRandomness) random;
        cond.put("effnet", stageBEffnet(images, rb, m));
        double[] capU = random.captionUniforms(b);
        TextConditioning tc = nets.text().encode(captions(batch, capU), m);
        cond.put("clip", tc.pooled());
        x0 = nets.stageA().encode(images);
        x0.attach(m);
        eps = pyramidNoise(x0.getShape(), random, m);
      }
      Diffused d = Diffused.of(x0, eps, random.times(b), lossWeight, m);
      float[] perSample;
      try (GradientScope g = GradientScope.open()) {
        NDArray pred =
            settings.stage() == Stage.C
                ? ((StageC) net)
                    .forward(
                        d.noised(),
                        d.noiseCond(),
                        cond.get("clip_text"),
                        cond.get("clip_text_pooled"),
                        cond.get("clip_img"),
                        null,
                        null)
                : ((StageB) net)
                    .forward(
                        d.noised(),
                        d.noiseCond(),
                        cond.get("effnet"),
                        cond.get("clip"),
                        null,
                        null);
        NDArray per = pred.sub(d.target()).square().reshape(b, -1).mean(new int[] {1});
        NDArray lossAdj =
            io.cascadefarm.cascade.nn.Autograd.div(
                per.mul(m.create(d.lossWeight())).mean(), (float) settings.gradAccumSteps());
        g.backward(lossAdj);
        try (NDArray det = per.stopGradient();
            NDArray adj = lossAdj.stopGradient()) {
          perSample = det.toFloatArray();
          adjusted = adj.getFloat();
        }
      }
      lossWeight.update(d.logSnr(), perSample);
      double sum = 0;
      for (float v : perSample) {
        sum += v;
      }
      loss = (float) (sum / b);
    }
    iteration = i;
    float norm = 0f;
    double lr = 0;
    if (update) {
      List<Trainable> ps = parameters();
      try (NDManager m = manager.newSubManager()) {
        List<NDArray> grads = new ArrayList<>();
        for (Trainable p : ps) {
          grads.add(p.gradient(m));
        }
        norm = GradClip.clip(grads, 1.0);
        lr = schedule.lrAt(updates + 1);
        optimizer.update(ps, grads, lr);
        updates++;
      }
      Map<String, Parameter> np = net.namedParameters();
      params.forEach((k, t) -> np.get(k).set(t.value()));
    }
    if (settings.ema() != null && i % settings.ema().iters() == 0) {
      // beta and 1 - beta in double, then float, as Python computes them
      double beta = i > settings.ema().startIters() ? settings.ema().beta() : 0;
      Map<String, Parameter> np = net.namedParameters();
      for (Map.Entry<String, NDArray> e : ema.entrySet()) {
        NDArray w = np.get(e.getKey()).array().stopGradient();
        NDArray next = e.getValue().mul((float) beta).add(w.mul((float) (1 - beta)));
        next.attach(manager);
        w.close();
        e.getValue().close();
        e.setValue(next);
      }
    }
    return new Step(i, update, updates, loss, adjusted, norm, lr);
  }

  private static List<String> captions(Batch batch, double[] capU) {
    List<String> out = new ArrayList<>();
    for (int k = 0; k < capU.length; k++) {
      out.add(capU[k] > 0.05 ? batch.captions().get(k) : "");
    }
    return out;
  }

  private NDArray clipImages(NDArray images, double[] imgU, NDManager m) {
    int b = imgU.length;
    NDArray zeros = nets.image().zeros(b, m);
    NDList parts = new NDList();
    boolean any = false;
    for (int k = 0; k < b; k++) {
      if (imgU[k] > 0.9) {
        parts.add(nets.image().encode(images.get(k + ":" + (k + 1)), m));
        any = true;
      } else {
        parts.add(zeros.get(k + ":" + (k + 1)));
      }
    }
    if (!any) {
      return zeros;
    }
    NDArray out = NDArrays.concat(parts, 0);
    out.attach(m);
    return out;
  }

  /** train_b.py get_conditions: effnet of the nearest-downscaled image for 90 % of the rows. */
  private NDArray stageBEffnet(NDArray images, StageBRandomness r, NDManager m) {
    double f = r.effnetFactor();
    long h = images.getShape().get(2);
    long w = images.getShape().get(3);
    int eh = (int) (Math.floor((h * f) / 32) * 32);
    int ew = (int) (Math.floor((w * f) / 32) * 32);
    int b = Math.toIntExact(images.getShape().get(0));
    double[] u = r.effnetUniforms(b);
    NDArray small = Resample.interpolate(images, eh, ew, Resample.Mode.NEAREST, false);
    NDList parts = new NDList();
    for (int k = 0; k < b; k++) {
      if (u[k] <= 0.9) {
        NDArray e = nets.effnet().encode(small.get(k + ":" + (k + 1)));
        e.attach(m);
        parts.add(e);
      } else {
        parts.add(m.zeros(new Shape(1, 16, eh / 32, ew / 32)));
      }
    }
    NDArray out = NDArrays.concat(parts, 0);
    out.attach(m);
    return out;
  }

  /** train_b.py {@code _pyramid_noise(epsilon, size_range=[1, 16])} with nearest upsampling. */
  static NDArray pyramidNoise(Shape shape, TrainingRandomness random, NDManager m) {
    long b = shape.get(0);
    long c = shape.get(1);
    long hh = shape.get(2);
    long ww = shape.get(3);
    NDArray eps = m.create(random.normal(Math.toIntExact(shape.size())), shape);
    double sumSq = 1;
    for (int i = 1; i < 10; i++) {
      double mult = Math.pow(0.75, i);
      long h = hh / (1L << i);
      long w = hh / (1L << i); // the official code uses the height for both sides
      if ((1 <= h && h <= 16) || (1 <= w && w <= 16)) {
        NDArray off =
            m.create(random.normal(Math.toIntExact(b * c * h * w)), new Shape(b, c, h, w));
        NDArray up = Resample.interpolate(off, hh, ww, Resample.Mode.NEAREST, false);
        eps = eps.add(up.mul((float) mult));
        sumSq += mult * mult;
      }
      if (h <= 1 || w <= 1) {
        break;
      }
    }
    return eps.div((float) Math.pow(sumSq, 0.5));
  }

  @Override
  public void close() {
    optimizer.close();
    manager.close();
  }
}
