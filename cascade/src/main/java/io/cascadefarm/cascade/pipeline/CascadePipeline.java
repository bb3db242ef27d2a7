package io.cascadefarm.cascade.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.cascadefarm.cascade.diffusion.CascadeDiffusionModels;
import io.cascadefarm.cascade.diffusion.DiffusionModel;
import io.cascadefarm.cascade.model.CascadeModels;
import io.cascadefarm.cascade.model.ModelRegistry;
import io.cascadefarm.cascade.model.Precision;
import io.cascadefarm.cascade.pipeline.control.ControlStage;
import io.cascadefarm.cascade.pipeline.control.PriorControl;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs batches of compatible requests (same {@link GenerationRequest#batchKey()}) through the
 * Stable Cascade stages on one device batch: text conditioning, Stage C (or, for reconstruct, the
 * input's EfficientNet latents), Stage B, Stage A, PNG encoding. CFG doubles the batch inside each
 * sampler step (conditional rows first). Every row's noise comes from its own seed and the CFG
 * rescale statistics are per request, so batching does not change a request's result. Intermediate
 * tensors of a call live in one sub-manager of the model's manager and are freed on return. The
 * pipeline renders at one {@link Precision} (fp32 unless given; resolved per network), taken from
 * the registry entry of that precision, on the registry's device ({@link #device()}). A group is
 * rendered as micro-batches within {@link #limits()} (rows = images x CFG factor, estimated
 * memory), and a micro-batch that runs out of memory is split and retried ({@link
 * #outOfMemorySplits()}).
 */
public final class CascadePipeline implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CascadePipeline.class);

  private final ModelRegistry registry;
  private final boolean ownsRegistry;
  private final Precision precision;
  private volatile MicroBatchLimits limits;
  private volatile java.util.function.IntConsumer renderProbe = rows -> {};
  private final java.util.concurrent.atomic.AtomicLong oomSplits =
      new java.util.concurrent.atomic.AtomicLong();

  /** A pipeline over a registry owned by the caller. */
  public CascadePipeline(ModelRegistry registry) {
    this(registry, false);
  }

  /** A pipeline; with {@code ownsRegistry} closing it also closes the registry. */
  public CascadePipeline(ModelRegistry registry, boolean ownsRegistry) {
    this(registry, ownsRegistry, Precision.FP32);
  }

  /**
   * A pipeline computing Stage C / Stage B at {@code precision}; fp16 with model {@code big} is
   * refused when such a request is generated.
   */
  public CascadePipeline(ModelRegistry registry, boolean ownsRegistry, Precision precision) {
    this.registry = registry;
    this.ownsRegistry = ownsRegistry;
    this.precision = precision;
  }

  /**
   * A pipeline on {@code device} over a fresh registry of checkpoints under {@code modelsDir} (tiny
   * weights cached in {@code tinyCacheDir}), closed with the pipeline: one per render worker and
   * device.
   */
  public static CascadePipeline open(
      java.nio.file.Path modelsDir,
      java.nio.file.Path tinyCacheDir,
      Precision precision,
      ai.djl.Device device) {
    return new CascadePipeline(
        ModelRegistry.open(modelsDir, tinyCacheDir, device), true, precision);
  }

  public Precision precision() {
    return precision;
  }

  /** The device every network, tensor and noise buffer of this pipeline lives on. */
  public ai.djl.Device device() {
    return registry.device();
  }

  /**
   * Micro-batch limits (rows and estimated memory); default {@link
   * MicroBatchLimits#forDevice(ai.djl.Device)}, read when first needed.
   */
  public MicroBatchLimits limits() {
    MicroBatchLimits l = limits;
    if (l == null) {
      l = MicroBatchLimits.forDevice(device());
      limits = l;
    }
    return l;
  }

  /** Replaces the micro-batch limits. */
  public CascadePipeline limits(MicroBatchLimits newLimits) {
    this.limits = java.util.Objects.requireNonNull(newLimits);
    return this;
  }

  /** Times a batch was split and retried after running out of memory (since creation). */
  public long outOfMemorySplits() {
    return oomSplits.get();
  }

  /** Test seam: called with the image rows of every micro-batch before it renders. */
  void renderProbe(java.util.function.IntConsumer probe) {
    this.renderProbe = probe;
  }

  public ModelRegistry registry() {
    return registry;
  }

  /** Generates one request. */
  public GenerationResult generate(GenerationRequest request, GenerationListener listener) {
    return generate(List.of(request), listener).get(0);
  }

  /**
   * Generates a batch of compatible requests; results are in request order.
   *
   * @throws IllegalArgumentException if a request is invalid or the batch mixes batch keys
   * @throws UnsupportedOperationException for CONTROLNET on a model without ControlNets (lite)
   * @throws GenerationCancelledException if the listener cancels (checked between steps)
   */
  public List<GenerationResult> generate(
      List<GenerationRequest> compatibleBatch, GenerationListener listener) {
    checkBatch(compatibleBatch);
    GenerationListener l = listener == null ? GenerationListener.NONE : listener;
    BatchPlan plan = BatchPlan.of(compatibleBatch, () -> ThreadLocalRandom.current().nextLong());
    CascadeModels models = registry.get(plan.first().model(), precision);
    List<GenerationResult> out = new ArrayList<>();
    for (BatchPlan micro : plan.split(limits())) {
      out.addAll(generateOrSplit(models, micro, l));
    }
    return out;
  }

  /**
   * Renders {@code plan}; when the device (or the host) runs out of memory, the micro-batch is
   * split in two and each half retried, down to a single request, whose out-of-memory error is then
   * thrown. Seeds are resolved before, so a split does not change any image.
   */
  private List<GenerationResult> generateOrSplit(
      CascadeModels models, BatchPlan plan, GenerationListener l) {
    try {
      return render(models, plan, l);
    } catch (RuntimeException | OutOfMemoryError e) {
      if (!OutOfMemory.is(e) || plan.requests().size() < 2) {
        throw e;
      }
      oomSplits.incrementAndGet();
      int half = plan.requests().size() / 2;
      LOG.warn(
          "out of memory rendering {} requests ({} sampler rows) on {}; retrying as {} + {}: {}",
          plan.requests().size(),
          plan.sampledRows(),
          device(),
          half,
          plan.requests().size() - half,
          OutOfMemory.message(e));
      List<GenerationResult> out = new ArrayList<>(generateOrSplit(models, plan.sub(0, half), l));
      out.addAll(generateOrSplit(models, plan.sub(half, plan.requests().size()), l));
      return out;
    }
  }

  private List<GenerationResult> render(
      CascadeModels models, BatchPlan plan, GenerationListener l) {
    Map<String, Long> millis = new LinkedHashMap<>();
    long start = System.nanoTime();
    try (NDManager manager = models.manager().newSubManager()) {
      renderProbe.accept(plan.size());
      Rendered images = renderWithLoras(models, plan, manager, l, millis);
      millis.put("total", (System.nanoTime() - start) / 1_000_000);
      return results(plan, images, models.description(), millis);
    } catch (GenerationCancelledException e) {
      throw e;
    } catch (CancellationException e) {
      throw new GenerationCancelledException("generation cancelled: " + e.getMessage());
    }
  }

  /**
   * LoRA batches hold the model's LoRA cache for the whole render, so a merged copy cannot be
   * evicted (and freed) by a concurrent batch while in use.
   */
  private static Rendered renderWithLoras(
      CascadeModels models,
      BatchPlan plan,
      NDManager manager,
      GenerationListener l,
      Map<String, Long> millis) {
    List<LoraRef> loras = plan.first().loras();
    if (loras.isEmpty() || models.stageCLoras() == null) {
      return render(models, StageCSelection.of(models, loras), plan, manager, l, millis);
    }
    synchronized (models.stageCLoras()) {
      StageCSelection selection =
          new Timer(millis).time("lora", () -> StageCSelection.of(models, loras));
      return render(models, selection, plan, manager, l, millis);
    }
  }

  /**
   * What a render made: one image per row, or for a {@link GenerationKind#PRIOR} plan the Stage C
   * latents of every row ({@code rowShape} each, no images).
   */
  private record Rendered(List<BufferedImage> images, float[][] latents, long[] rowShape) {}

  private static Rendered render(
      CascadeModels models,
      StageCSelection selection,
      BatchPlan plan,
      NDManager manager,
      GenerationListener l,
      Map<String, Long> millis) {
    GenerationKind kind = plan.first().kind();
    Timer t = new Timer(millis);
    NoiseStreams noise = NoiseStreams.of(plan.first().noise(), plan.rowSeeds());
    TextInputs text = t.time("text", () -> TextInputs.encode(selection.text(), plan, manager));
    NDArray effnet =
        switch (kind) {
          case RECONSTRUCT ->
              t.time("effnet", () -> ImageInputs.effnetLatents(models, plan, manager));
          case DECODE -> ImageInputs.decodeLatents(plan, manager);
          default ->
              t.time(
                  "prior",
                  () -> {
                    PriorControl control = control(models, plan, manager);
                    DiffusionModel stageC = prior(models, selection, control);
                    return PriorStage.run(
                        models,
                        stageC,
                        plan,
                        text,
                        manager,
                        l,
                        control == null ? null : control.xInit(),
                        noise);
                  });
        };
    if (!kind.usesDecoder()) {
      int per = Math.toIntExact(effnet.size() / plan.size());
      float[] all = effnet.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
      float[][] rows = new float[plan.size()][];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = java.util.Arrays.copyOfRange(all, i * per, (i + 1) * per);
      }
      long[] shape = effnet.getShape().getShape().clone();
      shape[0] = 1;
      return new Rendered(null, rows, shape);
    }
    NDArray latents =
        t.time("decoder", () -> DecoderStage.run(models, plan, text, effnet, manager, l, noise));
    NDArray rgb = t.time("stage_a", () -> models.stageA().decode(latents));
    return new Rendered(ImageBatch.toImages(rgb), null, null);
  }

  /** Stage C as this batch uses it: with ControlNet projections for CONTROLNET requests. */
  private static DiffusionModel prior(
      CascadeModels models, StageCSelection selection, PriorControl control) {
    if (control == null) {
      return selection.stageC();
    }
    if (selection.net() == null) {
      throw new UnsupportedOperationException("model " + models.name() + " cannot run ControlNets");
    }
    return CascadeDiffusionModels.stageC(selection.net(), control.cnet());
  }

  /** ControlNet projections and start latent (package pipeline.control), null if not CONTROLNET. */
  private static PriorControl control(CascadeModels models, BatchPlan plan, NDManager manager) {
    if (plan.first().kind() != GenerationKind.CONTROLNET) {
      return null;
    }
    if (models.controlNets() == null || !models.controlNets().available()) {
      throw new UnsupportedOperationException(
          "model " + models.name() + " has no ControlNets (they exist for the 3.6B Stage C: big)");
    }
    List<GenerationRequest> rows = plan.rows().stream().map(plan::request).toList();
    return ControlStage.prepare(models, rows, plan.rowSeeds(), manager);
  }

  private static List<GenerationResult> results(
      BatchPlan plan, Rendered rendered, String modelName, Map<String, Long> millis) {
    List<List<GeneratedImage>> perRequest = new ArrayList<>();
    plan.requests().forEach(r -> perRequest.add(new ArrayList<>()));
    for (int i = 0; i < plan.size(); i++) {
      BatchPlan.Row row = plan.rows().get(i);
      GenerationRequest req = plan.request(row);
      Map<String, String> meta = GenerationMetadata.of(req, row.seed(), modelName);
      GeneratedImage out;
      if (rendered.images() == null) {
        byte[] file =
            TensorFiles.write(
                Map.of(
                    TensorFiles.PRIOR_LATENTS,
                    new HostTensor(rendered.latents()[i], rendered.rowShape())),
                meta);
        out = new GeneratedImage(null, null, row.seed(), req.width(), req.height(), file);
      } else {
        BufferedImage img = rendered.images().get(i);
        byte[] png = PngCodec.encode(img, meta);
        out = new GeneratedImage(img, png, row.seed(), img.getWidth(), img.getHeight());
      }
      perRequest.get(row.request()).add(out);
    }
    List<GenerationResult> out = new ArrayList<>();
    for (int r = 0; r < perRequest.size(); r++) {
      out.add(new GenerationResult(perRequest.get(r), plan.seed(r), millis));
    }
    return out;
  }

  private static void checkBatch(List<GenerationRequest> batch) {
    if (batch == null || batch.isEmpty()) {
      throw new IllegalArgumentException("batch must contain at least one request");
    }
    String key = batch.get(0).batchKey();
    for (int i = 0; i < batch.size(); i++) {
      GenerationRequest r = batch.get(i);
      List<Problem> problems = r.validate();
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException("request " + i + " is invalid: " + problems);
      }
      if (!r.batchKey().equals(key)) {
        throw new IllegalArgumentException(
            "request " + i + " is not compatible with request 0: " + r.batchKey() + " vs " + key);
      }
    }
  }

  @Override
  public void close() {
    if (ownsRegistry) {
      registry.close();
    }
  }
}
