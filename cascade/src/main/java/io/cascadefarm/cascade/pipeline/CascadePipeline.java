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

/**
 * Runs batches of compatible requests (same {@link GenerationRequest#batchKey()}) through the
 * Stable Cascade stages on one device batch: text conditioning, Stage C (or, for reconstruct, the
 * input's EfficientNet latents), Stage B, Stage A, PNG encoding. CFG doubles the batch inside each
 * sampler step (conditional rows first). Every row's noise comes from its own seed and the CFG
 * rescale statistics are per request, so batching does not change a request's result. Intermediate
 * tensors of a call live in one sub-manager of the model's manager and are freed on return. The
 * pipeline renders at one {@link Precision} (fp32 unless given), taken from the registry entry of
 * that precision.
 */
public final class CascadePipeline implements AutoCloseable {
  private final ModelRegistry registry;
  private final boolean ownsRegistry;
  private final Precision precision;

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

  public Precision precision() {
    return precision;
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
    Map<String, Long> millis = new LinkedHashMap<>();
    long start = System.nanoTime();
    try (NDManager manager = models.manager().newSubManager()) {
      List<BufferedImage> images = renderWithLoras(models, plan, manager, l, millis);
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
  private static List<BufferedImage> renderWithLoras(
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

  private static List<BufferedImage> render(
      CascadeModels models,
      StageCSelection selection,
      BatchPlan plan,
      NDManager manager,
      GenerationListener l,
      Map<String, Long> millis) {
    GenerationKind kind = plan.first().kind();
    Timer t = new Timer(millis);
    TextInputs text = t.time("text", () -> TextInputs.encode(selection.text(), plan, manager));
    NDArray effnet =
        kind == GenerationKind.RECONSTRUCT
            ? t.time("effnet", () -> ImageInputs.effnetLatents(models, plan, manager))
            : t.time(
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
                      control == null ? null : control.xInit());
                });
    NDArray latents =
        t.time("decoder", () -> DecoderStage.run(models, plan, text, effnet, manager, l));
    NDArray rgb = t.time("stage_a", () -> models.stageA().decode(latents));
    return ImageBatch.toImages(rgb);
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
      BatchPlan plan, List<BufferedImage> images, String modelName, Map<String, Long> millis) {
    List<List<GeneratedImage>> perRequest = new ArrayList<>();
    plan.requests().forEach(r -> perRequest.add(new ArrayList<>()));
    for (int i = 0; i < plan.size(); i++) {
      BatchPlan.Row row = plan.rows().get(i);
      GenerationRequest req = plan.request(row);
      BufferedImage img = images.get(i);
      byte[] png = PngCodec.encode(img, GenerationMetadata.of(req, row.seed(), modelName));
      perRequest
          .get(row.request())
          .add(new GeneratedImage(img, png, row.seed(), img.getWidth(), img.getHeight()));
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
