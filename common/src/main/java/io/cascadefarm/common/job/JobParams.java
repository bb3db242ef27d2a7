package io.cascadefarm.common.job;

import java.util.List;
import java.util.Map;

/**
 * Everything a client asks of one job, as in the HTTP API's job body. Before a job is stored {@link
 * JobDefaults#resolve} fills every default (including a random seed), so stored params always
 * reproduce the render.
 *
 * @param image an uploaded image key ({@code uploads/<sha256>.png}) for image kinds
 * @param mask an uploaded mask key for ControlNet inpaint/outpaint (white = generate)
 * @param control the ControlNet type for kind {@code controlnet}
 */
public record JobParams(
    JobKind kind,
    String prompt,
    String negativePrompt,
    Integer width,
    Integer height,
    Long seed,
    Integer images,
    String model,
    StageParams prior,
    StageParams decoder,
    String image,
    Double strength,
    String control,
    String mask,
    Double controlStrength,
    List<LoraRef> loras,
    Map<String, Object> metadata) {

  public JobParams {
    loras = loras == null ? List.of() : List.copyOf(loras);
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    prior = prior == null ? StageParams.UNSET : prior;
    decoder = decoder == null ? StageParams.UNSET : decoder;
  }

  /** A text-to-image job with every other field unset (defaults apply). */
  public static JobParams textToImage(String prompt) {
    return new JobParams(
        JobKind.TEXT_TO_IMAGE,
        prompt,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  /** These parameters with {@code loras} instead (e.g. pinned to their content hashes). */
  public JobParams withLoras(List<LoraRef> newLoras) {
    return new JobParams(
        kind,
        prompt,
        negativePrompt,
        width,
        height,
        seed,
        images,
        model,
        prior,
        decoder,
        image,
        strength,
        control,
        mask,
        controlStrength,
        newLoras,
        metadata);
  }

  /**
   * Jobs with equal keys can share one batched pipeline call: same model, kind, size, steps,
   * guidance, ControlNet and LoRA set.
   */
  public String batchKey() {
    return String.join(
        "|",
        String.valueOf(kind),
        String.valueOf(model),
        width + "x" + height,
        String.valueOf(prior),
        String.valueOf(decoder),
        String.valueOf(strength),
        String.valueOf(control),
        String.valueOf(controlStrength),
        String.valueOf(loras));
  }
}
