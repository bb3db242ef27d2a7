package io.cascadefarm.worker.cascade;

import io.cascadefarm.cascade.model.Precision;
import io.cascadefarm.cascade.pipeline.GenerationListener;
import io.cascadefarm.cascade.pipeline.GenerationRequest;
import io.cascadefarm.cascade.pipeline.GenerationResult;
import io.cascadefarm.common.config.WorkerConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The generator of a worker: renders each batch at the precision {@link #forModel} picks from
 * {@code farm.worker.precision}, with one pipeline per precision actually used (created on first
 * use). LoRA jobs render at the same precision as plain jobs (cascade merges a LoRA into fp32
 * weights, then casts the merged copy like the base). The one exception is fp16 with model {@code
 * big}, whose 3.6B Stage C overflows in fp16, or with a model fine-tuned from {@code big} (the
 * router asks for a model's base variant): such batches render at {@link Precision#AUTO} instead
 * (on a GPU Stage B, Stage A, CLIP and the previewer fp16 and Stage C bf16, or fp32 with TF32 where
 * the device has no bf16; on a CPU fp32), with a warning logged once. The precision is an
 * operator's choice the job submitter neither sees nor controls, so a valid job never fails because
 * of it.
 */
public final class PrecisionRouter implements BatchGenerator {
  private static final Logger LOG = LoggerFactory.getLogger(PrecisionRouter.class);
  private final Precision configured;
  private final Function<String, Optional<String>> baseOf;
  private final Function<Precision, BatchGenerator> pipelineAt;
  private final Map<String, String> bases = new ConcurrentHashMap<>();
  private final Map<Precision, BatchGenerator> pipelines = new ConcurrentHashMap<>();
  private final Map<String, Boolean> warned = new ConcurrentHashMap<>();

  /**
   * Routes batches of a worker configured with {@code configured}; {@code pipelineAt} creates the
   * generator of one precision (called at most once per precision).
   */
  public PrecisionRouter(Precision configured, Function<Precision, BatchGenerator> pipelineAt) {
    this(configured, Optional::of, pipelineAt);
  }

  /**
   * Like {@link #PrecisionRouter(Precision, Function)}, with {@code baseOf} giving a model's base
   * variant ({@code tiny}, {@code lite} or {@code big}; empty when the model is unknown), asked at
   * most once per model that resolves (a fine-tuned model's name is never reused) and only under
   * fp16.
   */
  public PrecisionRouter(
      Precision configured,
      Function<String, Optional<String>> baseOf,
      Function<Precision, BatchGenerator> pipelineAt) {
    this.configured = configured;
    this.baseOf = baseOf;
    this.pipelineAt = pipelineAt;
  }

  /**
   * The precision a batch of base variant {@code variant} renders at on a worker set to {@code
   * configured}.
   */
  public static Precision forModel(Precision configured, String variant) {
    return configured == Precision.FP16 && "big".equals(variant) ? Precision.AUTO : configured;
  }

  /**
   * The precision a batch of {@code model} (a variant or a fine-tuned model) renders at on this
   * worker. An unknown model keeps the configured precision: rendering it fails with its own error.
   */
  public Precision forModel(String model) {
    if (configured != Precision.FP16) {
      return configured;
    }
    String base = bases.get(model);
    if (base == null) {
      base = baseOf.apply(model).orElse(null);
      if (base == null) {
        return configured;
      }
      bases.put(model, base);
    }
    return forModel(configured, base);
  }

  @Override
  public List<GenerationResult> generate(
      List<GenerationRequest> batch, GenerationListener listener) {
    Precision p = batch.isEmpty() ? configured : forModel(batch.get(0).model());
    if (p != configured && warned.putIfAbsent(batch.get(0).model(), Boolean.TRUE) == null) {
      LOG.warn(
          "{}={}: model {} renders at {} instead (its Stage C overflows in fp16; logged once)",
          WorkerConfig.PRECISION.name(),
          configured.label(),
          batch.get(0).model(),
          p.label());
    }
    return pipelines.computeIfAbsent(p, pipelineAt).generate(batch, listener);
  }
}
