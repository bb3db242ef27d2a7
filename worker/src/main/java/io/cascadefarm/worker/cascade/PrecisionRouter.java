package io.cascadefarm.worker.cascade;

import io.cascadefarm.cascade.pipeline.GenerationListener;
import io.cascadefarm.cascade.pipeline.GenerationRequest;
import io.cascadefarm.cascade.pipeline.GenerationResult;
import io.cascadefarm.common.config.WorkerConfig;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The generator of a worker set to {@code farm.worker.precision=fp16}: batches render in fp16 where
 * cascade supports it, and fall back to fp32, with a warning logged once per reason, where it does
 * not: model {@code big} (its 3.6B Stage C overflows in fp16) and batches with LoRAs (the merge
 * works on float32 weights). The precision is an operator's choice the job submitter neither sees
 * nor controls, so a valid job never fails because of it. Cost: the fp32 copy of a variant (lite or
 * tiny) is loaded next to its fp16 copy when its first LoRA batch arrives, and stays resident.
 */
public final class PrecisionRouter implements BatchGenerator {
  private static final Logger LOG = LoggerFactory.getLogger(PrecisionRouter.class);
  private final BatchGenerator fp16;
  private final BatchGenerator fp32;
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  public PrecisionRouter(BatchGenerator fp16, BatchGenerator fp32) {
    this.fp16 = fp16;
    this.fp32 = fp32;
  }

  /** Why a batch led by {@code r} cannot render in fp16, or null if it can. */
  public static String fp32Reason(GenerationRequest r) {
    if ("big".equals(r.model())) {
      return "model big overflows in fp16";
    }
    if (!r.loras().isEmpty()) {
      return "LoRAs are not supported in fp16 (model " + r.model() + ")";
    }
    return null;
  }

  @Override
  public List<GenerationResult> generate(
      List<GenerationRequest> batch, GenerationListener listener) {
    String reason = batch.isEmpty() ? null : fp32Reason(batch.get(0));
    if (reason == null) {
      return fp16.generate(batch, listener);
    }
    if (warned.add(reason)) {
      LOG.warn(
          "{}=fp16: rendering in fp32 instead, because {} (logged once)",
          WorkerConfig.PRECISION.name(),
          reason);
    }
    return fp32.generate(batch, listener);
  }
}
