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
import io.cascadefarm.cascade.net.lora.TrainToken;
import io.cascadefarm.cascade.net.stagec.StageC;
import io.cascadefarm.cascade.nn.Parameter;
import io.cascadefarm.cascade.nn.WeightBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The LoRA trainer of {@code train/train_c_lora.py} on the port. One {@link #iterate} is one
 * official iteration {@code i}: conditions with gradients (caption dropout 5 %, the ReToken deltas
 * added to the token embeddings, CLIP-G hidden states and pooled embedding; a real CLIP image
 * embedding for 10 % of the rows, zeros otherwise), effnet latents without gradients, {@code
 * GDF.diffuse} (shift 1), Stage C with every targeted weight replaced by {@code W + up @ down /
 * rank}, the per-sample MSE against epsilon weighted by P2 (or the adaptive weight), averaged and
 * divided by the accumulation steps, back-propagated. Every {@code grad_accum_steps}-th iteration
 * (and the last) is an update: {@code clip_grad_norm_(1.0)} over [ReToken deltas, LoRA pairs],
 * AdamW at the warm-up schedule's rate.
 *
 * <p>Stage C runs without dropout: the official script leaves the generator in training mode only
 * for its very first iteration (until the first {@code sample()} sets it to eval).
 */
public final class LoraTrainer implements AutoCloseable, TrainerState {
  /** The networks of one model variant (bound, shared with inference; never modified). */
  public record Networks(
      StageC stageC, ClipTextEncoder text, ClipImageEncoder image, ImageLatentEncoder effnet) {}

  /**
   * Hyper-parameters (official names).
   *
   * @param rank LoRA rank
   * @param moduleFilters {@code module_filters}
   * @param trainTokens {@code train_tokens}
   * @param lr AdamW learning rate
   * @param warmupUpdates {@code warmup_updates}
   * @param gradAccumSteps {@code grad_accum_steps}
   * @param updates optimizer updates in total
   * @param adaptiveLossWeight {@code adaptive_loss_weight}
   */
  public record Settings(
      int rank,
      List<String> moduleFilters,
      List<TrainToken> trainTokens,
      double lr,
      int warmupUpdates,
      int gradAccumSteps,
      long updates,
      boolean adaptiveLossWeight) {
    public Settings {
      moduleFilters = List.copyOf(moduleFilters);
      trainTokens = List.copyOf(trainTokens);
      if (gradAccumSteps < 1) {
        throw new IllegalArgumentException("grad_accum_steps must be >= 1");
      }
      if (updates < 1) {
        throw new IllegalArgumentException("updates must be >= 1");
      }
    }
  }

  /** One training batch: RGB images (B, 3, H, W) in [0, 1] and their captions. */
  public record Batch(NDArray images, List<String> captions) {}

  /**
   * What one iteration did.
   *
   * @param iteration official {@code i} (1-based)
   * @param update whether an optimizer update ran
   * @param updates updates done so far ({@code total_steps})
   * @param loss mean raw per-sample loss of this iteration
   * @param lossAdjusted the back-propagated (weighted, divided) loss
   * @param gradNorm total gradient norm before clipping (0 when no update)
   * @param lr learning rate of the update (0 when no update)
   */
  public record Step(
      long iteration,
      boolean update,
      long updates,
      float loss,
      float lossAdjusted,
      float gradNorm,
      double lr) {}

  private final Settings settings;
  private final NDManager manager;
  private final StageC net;
  private final ClipImageEncoder image;
  private final ImageLatentEncoder effnet;
  private final TrainTokens tokens;
  private final ReTokenDeltas retoken;
  private final LoraWeights lora;
  private final Map<String, Parameter> netParams;
  private final AdamW optimizer;
  private final WarmupSchedule schedule;
  private LossWeight lossWeight;
  private long iteration;
  private long updates;

  private LoraTrainer(
      Settings settings,
      NDManager manager,
      StageC net,
      Networks nets,
      TrainTokens tokens,
      ReTokenDeltas retoken,
      LoraWeights lora) {
    this.settings = settings;
    this.manager = manager;
    this.net = net;
    this.image = nets.image();
    this.effnet = nets.effnet();
    this.tokens = tokens;
    this.retoken = retoken;
    this.lora = lora;
    this.netParams = net.namedParameters();
    this.optimizer = new AdamW(manager);
    this.schedule = new WarmupSchedule(settings.lr(), settings.warmupUpdates());
    this.lossWeight = settings.adaptiveLossWeight() ? new AdaptiveLossWeight() : LossWeight.p2();
  }

  /**
   * Prepares a trainer: a Stage C copy sharing {@code nets.stageC()}'s float32 weights, the train
   * tokens, zero ReToken deltas and fresh LoRA pairs ({@code upInit(index, size)} gives each {@code
   * lora_up}'s N(0, 1) values). Trainer state lives in a sub-manager of {@code parent}.
   */
  public static LoraTrainer create(
      Networks nets,
      Settings settings,
      BiFunction<Integer, Integer, float[]> upInit,
      NDManager parent) {
    NDManager manager = parent.newSubManager();
    try {
      StageC net = new StageC(nets.stageC().config());
      WeightBinder.bind(net, new Fp32Weights(nets.stageC()), manager);
      TrainTokens tokens = TrainTokens.resolve(nets.text(), settings.trainTokens());
      ReTokenDeltas retoken =
          new ReTokenDeltas(tokens.updateIds(), nets.text().config().width(), manager);
      LoraWeights lora =
          LoraWeights.create(
              net.namedParameters().entrySet().stream()
                  .collect(
                      java.util.stream.Collectors.toMap(
                          Map.Entry::getKey,
                          e -> e.getValue().shape(),
                          (a, b) -> a,
                          java.util.LinkedHashMap::new)),
              settings.moduleFilters(),
              settings.rank(),
              upInit,
              manager);
      return new LoraTrainer(settings, manager, net, nets, tokens, retoken, lora);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** Seeded N(0, 1) initial values for {@code lora_up}. */
  public static BiFunction<Integer, Integer, float[]> seededUpInit(long seed) {
    return (index, size) -> TrainingRandomness.seeded(seed, -1 - index).normal(size);
  }

  public Settings settings() {
    return settings;
  }

  public TrainTokens tokens() {
    return tokens;
  }

  public ReTokenDeltas retoken() {
    return retoken;
  }

  public LoraWeights lora() {
    return lora;
  }

  public AdamW optimizer() {
    return optimizer;
  }

  public LossWeight lossWeight() {
    return lossWeight;
  }

  /** Replaces the loss weight (resume of the adaptive buckets). */
  public void lossWeight(LossWeight w) {
    this.lossWeight = w;
  }

  /** Iterations done ({@code info.iter}). */
  public long iteration() {
    return iteration;
  }

  /** Updates done ({@code info.total_steps}). */
  public long updates() {
    return updates;
  }

  /** Total iterations of the run: {@code updates * grad_accum_steps}. */
  public long maxIterations() {
    return settings.updates() * settings.gradAccumSteps();
  }

  /** Sets the counters after restoring trainable values and optimizer state (resume). */
  public void position(long iteration, long updates) {
    this.iteration = iteration;
    this.updates = updates;
  }

  /** Parameters in {@code models.lora.parameters()} order: ReToken deltas, then LoRA pairs. */
  public List<Trainable> parameters() {
    List<Trainable> out = new ArrayList<>();
    if (!retoken.isEmpty()) {
      out.add(retoken.delta());
    }
    out.addAll(lora.parameters());
    return out;
  }

  /** Runs iteration {@code iteration() + 1} on {@code batch} with {@code random}'s draws. */
  public Step iterate(Batch batch, TrainingRandomness random) {
    long i = iteration + 1;
    boolean update = i % settings.gradAccumSteps() == 0 || i == maxIterations();
    int b = batch.captions().size();
    double[] capU = random.captionUniforms(b);
    double[] imgU = random.imageUniforms(b);
    List<String> captions = new ArrayList<>(b);
    for (int k = 0; k < b; k++) {
      captions.add(capU[k] > 0.05 ? batch.captions().get(k) : "");
    }
    float loss;
    float adjusted;
    try (NDManager m = manager.newSubManager()) {
      NDArray images = batch.images();
      NDArray clipImg = clipImages(images, imgU, m);
      NDArray x0 = effnet.encode(images);
      x0.attach(m);
      NDArray eps = m.create(random.normal(Math.toIntExact(x0.size())), x0.getShape());
      Diffused d = Diffused.of(x0, eps, random.times(b), lossWeight, m);
      float[] perSample;
      try (GradientScope g = GradientScope.open()) {
        TextConditioning tc = tokens.encoder().encode(captions, m, retoken::offsets);
        bindMerged();
        try {
          NDArray pred =
              net.forward(d.noised(), d.noiseCond(), tc.tokens(), tc.pooled(), clipImg, null, null);
          NDArray per = pred.sub(d.target()).square().reshape(b, -1).mean(new int[] {1});
          NDArray lossAdj =
              io.cascadefarm.cascade.nn.Autograd.div(
                  per.mul(m.create(d.lossWeight())).mean(), (float) settings.gradAccumSteps());
          g.backward(lossAdj);
          try (NDArray detached = per.stopGradient();
              NDArray adj = lossAdj.stopGradient()) {
            perSample = detached.toFloatArray();
            adjusted = adj.getFloat();
          }
        } finally {
          restoreBase();
        }
      }
      lossWeight.update(d.logSnr(), perSample);
      double sum = 0;
      for (float v : perSample) {
        sum += v;
      }
      loss = (float) (sum / perSample.length);
    }
    iteration = i;
    if (!update) {
      return new Step(i, false, updates, loss, adjusted, 0f, 0);
    }
    List<Trainable> params = parameters();
    try (NDManager m = manager.newSubManager()) {
      List<NDArray> grads = new ArrayList<>();
      for (Trainable p : params) {
        grads.add(p.gradient(m));
      }
      float norm = GradClip.clip(grads, 1.0);

      double lr = schedule.lrAt(updates + 1);
      optimizer.update(params, grads, lr);
      updates++;
      return new Step(i, true, updates, loss, adjusted, norm, lr);
    }
  }

  private NDArray clipImages(NDArray images, double[] imgU, NDManager m) {
    int b = imgU.length;
    NDArray zeros = image == null ? null : image.zeros(b, m);
    if (image == null) {
      throw new IllegalStateException("no CLIP image encoder");
    }
    List<Integer> rows = new ArrayList<>();
    for (int k = 0; k < b; k++) {
      if (imgU[k] > 0.9) {
        rows.add(k);
      }
    }
    if (rows.isEmpty()) {
      return zeros;
    }
    NDList parts = new NDList();
    for (int k = 0; k < b; k++) {
      if (rows.contains(k)) {
        NDArray one = images.get(k + ":" + (k + 1));
        NDArray emb = image.encode(one, m);
        one.close();
        parts.add(emb);
      } else {
        parts.add(zeros.get(k + ":" + (k + 1)));
      }
    }
    NDArray out = NDArrays.concat(parts, 0);
    out.attach(m);
    return out;
  }

  private void bindMerged() {
    for (LoraWeights.Pair p : lora.pairs()) {
      Parameter param = netParams.get(p.key());
      NDArray base = param.array();
      baseArrays.put(p.key(), base);
      param.set(lora.merged(p, base));
    }
  }

  private final Map<String, NDArray> baseArrays = new java.util.HashMap<>();

  private void restoreBase() {
    for (Map.Entry<String, NDArray> e : baseArrays.entrySet()) {
      Parameter param = netParams.get(e.getKey());
      NDArray merged = param.array();
      param.set(e.getValue());
      if (merged != e.getValue()) {
        merged.close();
      }
    }
    baseArrays.clear();
  }

  /** Shape of the training Stage C's targeted weights (for tests). */
  public Shape targetShape(int index) {
    return new Shape(lora.pairs().get(index).shape());
  }

  @Override
  public void close() {
    optimizer.close();
    manager.close();
  }
}
