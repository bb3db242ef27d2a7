package io.cascadefarm.worker.cascade;

import io.cascadefarm.cascade.diffusion.SamplerType;
import io.cascadefarm.cascade.diffusion.StageSettings;
import io.cascadefarm.cascade.pipeline.GenerationKind;
import io.cascadefarm.cascade.pipeline.GenerationRequest;
import io.cascadefarm.cascade.pipeline.GenerationRequestBuilder;
import io.cascadefarm.cascade.pipeline.HostTensor;
import io.cascadefarm.cascade.pipeline.NoiseKind;
import io.cascadefarm.cascade.pipeline.TensorFiles;
import io.cascadefarm.codec.image.ImageCodec;
import io.cascadefarm.codec.image.ImageRejectedException;
import io.cascadefarm.common.contract.JobContract;
import io.cascadefarm.common.contract.JobLimits;
import io.cascadefarm.common.contract.Violation;
import io.cascadefarm.common.job.JobKind;
import io.cascadefarm.common.job.JobParams;
import io.cascadefarm.common.job.LoraRef;
import io.cascadefarm.common.job.StageParams;
import io.cascadefarm.common.port.RenderException;
import io.cascadefarm.common.port.RenderTask;
import io.cascadefarm.worker.lora.LoraCache;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns a {@link RenderTask} (resolved job params plus input bytes) into a {@link
 * GenerationRequest}, after checking the job against the {@link JobContract} once more. Input
 * images (PNG, JPEG, WebP, e.g. {@code .webp} keys stored by earlier dispatchers) are decoded by
 * the shared {@link ImageCodec}, whose header limits (side, pixels, decoded bytes) are checked
 * before any decoder allocates, the same as the dispatcher's uploads; bytes that are not an
 * accepted image, or exceed the limits, are invalid input (not retryable), naming the field. A
 * LoRA's name becomes the local file the {@link LoraCache} put in the task's inputs ({@code
 * lora:<name>}); without one the name is used as a path.
 */
public final class RequestMapper {
  private static final ImageCodec IMAGES = ImageCodec.standard();

  private RequestMapper() {}

  public static GenerationRequest toRequest(RenderTask task) {
    JobParams p = task.params();
    requireValid(p);
    JobKind kind = p.kind() == null ? JobKind.TEXT_TO_IMAGE : p.kind();
    GenerationRequestBuilder b =
        GenerationRequest.builder(kind(kind))
            .prompt(p.prompt() == null ? "" : p.prompt())
            .negativePrompt(p.negativePrompt() == null ? "" : p.negativePrompt())
            .seed(p.seed());
    if (p.model() != null) {
      b.model(p.model());
    }
    if (p.width() != null && p.height() != null) {
      b.size(p.width(), p.height());
    }
    if (p.images() != null) {
      b.images(p.images());
    }
    if (p.strength() != null) {
      b.strength(p.strength());
    }
    if (p.previewEvery() != null) {
      b.previewEvery(p.previewEvery());
    }
    if (complete(p.prior())) {
      b.prior(settings(p.prior(), p.priorTimesteps()));
    }
    if (complete(p.decoder())) {
      b.decoder(settings(p.decoder(), p.decoderTimesteps()));
    }
    if (p.image() != null) {
      b.image(decode("image", p.image(), task));
    }
    for (int i = 0; i < p.extraImages().size(); i++) {
      b.extraImage(decode("extra_images[" + i + "]", p.extraImages().get(i), task));
    }
    if (p.sampler() != null) {
      b.sampler(SamplerType.parse(p.sampler()));
    }
    if (p.noise() != null) {
      b.noise(NoiseKind.parse(p.noise()));
    }
    if (p.cfgRescale() != null) {
      b.cfgRescale(p.cfgRescale());
    }
    if (p.promptWeights() != null) {
      b.promptWeights("a1111".equals(p.promptWeights()));
    }
    if (p.decoderNegativePrompt() != null) {
      b.decoderNegativePrompt(p.decoderNegativePrompt());
    }
    if (p.latents() != null) {
      HostTensor latents = tensors("latents", p.latents(), task).get("latents");
      if (latents == null) {
        throw invalid("field latents: '" + p.latents() + "' holds no tensor named latents");
      }
      b.latents(latents);
    }
    if (p.embeddings() != null) {
      tensors("embeddings", p.embeddings(), task).forEach(b::embedding);
    }
    if (kind == JobKind.CONTROLNET) {
      BufferedImage mask = p.mask() == null ? null : decode("mask", p.mask(), task);
      b.control(p.control(), mask, p.controlStrength() == null ? 1.0 : p.controlStrength());
    }
    for (LoraRef l : p.loras()) {
      byte[] local = task.inputs().get(LoraCache.INPUT_PREFIX + l.name());
      b.lora(local == null ? l.name() : new String(local, StandardCharsets.UTF_8), l.strength());
    }
    return b.build();
  }

  /**
   * Defence in depth: the job is checked against the {@link JobContract} again (bounds at their
   * {@link JobLimits#CEILING}, cross-field rules), so a job that reached the queue some other way
   * than through the API, or was stored by an older dispatcher, fails as invalid input naming the
   * field instead of reaching the pipeline.
   */
  static void requireValid(JobParams p) {
    List<Violation> problems = JobContract.check(p, JobLimits.CEILING);
    if (!problems.isEmpty()) {
      throw invalid(problems.stream().map(v -> "field " + v).collect(Collectors.joining("; ")));
    }
  }

  /**
   * The render job kinds and the pipeline's kinds are the same five (the compiler checks it); the
   * training kinds are not rendered.
   */
  static GenerationKind kind(JobKind kind) {
    return switch (kind) {
      case TEXT_TO_IMAGE -> GenerationKind.TEXT_TO_IMAGE;
      case IMAGE_VARIATION -> GenerationKind.IMAGE_VARIATION;
      case IMAGE_TO_IMAGE -> GenerationKind.IMAGE_TO_IMAGE;
      case RECONSTRUCT -> GenerationKind.RECONSTRUCT;
      case CONTROLNET -> GenerationKind.CONTROLNET;
      case PRIOR -> GenerationKind.PRIOR;
      case DECODE -> GenerationKind.DECODE;
      case TRAIN_LORA, FINETUNE_C, FINETUNE_B ->
          throw new IllegalArgumentException(
              kind.wire() + " jobs are trained in the training lane, not rendered");
    };
  }

  private static boolean complete(StageParams s) {
    return s.steps() != null && s.guidance() != null && s.shift() != null;
  }

  private static StageSettings settings(StageParams s, List<Double> grid) {
    StageSettings st = new StageSettings(s.steps(), s.guidance(), s.shift());
    return grid.isEmpty() ? st : st.withTimesteps(grid.stream().map(Double::floatValue).toList());
  }

  /** The tensors of a safetensors upload (F32, F16 or BF16), invalid input if unreadable. */
  private static Map<String, HostTensor> tensors(String field, String key, RenderTask task) {
    byte[] bytes = task.inputs().get(key);
    if (bytes == null) {
      throw invalid("field " + field + ": input '" + key + "' was not loaded");
    }
    try {
      return TensorFiles.read(bytes);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw invalid("field " + field + ": '" + key + "' " + e.getMessage());
    }
  }

  private static BufferedImage decode(String field, String key, RenderTask task) {
    byte[] bytes = task.inputs().get(key);
    if (bytes == null) {
      throw invalid("field " + field + ": input '" + key + "' was not loaded");
    }
    try {
      return IMAGES.decode(bytes);
    } catch (ImageRejectedException e) {
      if (e.reason() == ImageRejectedException.Reason.BUSY) {
        throw new RenderException("busy", "field " + field + ": " + e.getMessage(), true, e);
      }
      throw invalid("field " + field + ": '" + key + "' " + e.getMessage());
    }
  }

  private static RenderException invalid(String message) {
    return new RenderException("invalid_input", message, false, null);
  }
}
